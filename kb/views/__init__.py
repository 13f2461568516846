"""HTML views of the knowledge base: the public help center (public.py) and the suggestions on
tickets for customers and agents (tickets.py)."""
