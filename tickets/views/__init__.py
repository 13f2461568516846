"""HTML views of tickets: the customer self-service site (customer.py, mounted at /tickets/)
and the agent workspace (agent.py, mounted at /agent/)."""
