"""The live queue's index (tickets/queue_selectors.py): open tickets by their next deadline
(first response until answered, else resolution), covering what the colour and the counts read,
so the first page is a top-N index scan and the counts an index-only scan. Raw SQL: Django's
model state cannot express INCLUDE on an expression index without changing the model's Meta."""

from django.db import migrations

INDEX = "ticket_open_next_due_idx"

CREATE = f"""
CREATE INDEX IF NOT EXISTS {INDEX} ON tickets_ticket (
    (CASE WHEN first_response_at IS NOT NULL THEN resolution_due ELSE first_response_due END), id
) INCLUDE (created_at, first_response_at, first_response_due, resolution_due, first_response_sla, resolution_sla,
           status, priority, team_id, assigned_agent_id, category_id)
WHERE status IN ('OPEN', 'IN_PROGRESS', 'WAITING_ON_CUSTOMER')
"""


class Migration(migrations.Migration):
    dependencies = [("tickets", "0004_sla_schedules")]

    operations = [migrations.RunSQL(CREATE, f"DROP INDEX IF EXISTS {INDEX}")]
