from django.conf import settings
from django.db import models
from django.db.models import Q


class SurveyResponse(models.Model):
    """CSAT (1–5) after resolution, NPS (0–10) for long-term loyalty; one of each per ticket."""

    class Kind(models.TextChoices):
        CSAT = "CSAT", "CSAT"
        NPS = "NPS", "NPS"

    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="survey_responses")
    customer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    kind = models.CharField(max_length=4, choices=Kind.choices)
    score = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["ticket", "kind"], name="survey_one_per_ticket_kind"),
            models.CheckConstraint(
                condition=(Q(kind="CSAT") & Q(score__gte=1, score__lte=5)) | (Q(kind="NPS") & Q(score__lte=10)),
                name="survey_score_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.score} #{self.ticket_id}"
