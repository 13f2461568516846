"""A new ticket's priority: rules (keywords in English and German, VIP customers; triage.PriorityRule,
edited in the admin), the category's minimum, and the severity model. The highest wins, and its
reason is stored ("keyword 'dringend' in subject", "VIP customer", "model: HIGH 0.81")."""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from tickets.models import Category, Priority, Ticket
from triage.config import PriorityRuleSpec
from triage.ml import Prediction
from triage.models import PriorityRule

SOURCE_ORDER = {"keyword": 0, "vip": 0, "category": 1, "model": 2}  # equal priorities: rules explain best


@lru_cache(maxsize=1024)
def keyword_pattern(keyword: str) -> re.Pattern[str]:
    """Whole words, case-insensitive; `*` stands for any letters (`*ausfall` matches Stromausfall)."""
    parts = [re.escape(part) for part in keyword.strip().casefold().split("*")]
    return re.compile(r"(?<!\w)" + r"\w*".join(parts) + r"(?!\w)")


def find_keyword(keywords: Iterable[str], *, subject: str, description: str) -> tuple[str, str] | None:
    """The first keyword found, as (the words it matched, "subject" | "description")."""
    texts = (("subject", subject.casefold()), ("description", description.casefold()))
    for keyword in keywords:
        if not keyword.strip("* "):
            continue
        pattern = keyword_pattern(keyword)
        for where, text in texts:
            match = pattern.search(text)
            if match:
                return match.group(0), where
    return None


@dataclass(frozen=True)
class Candidate:
    priority: str
    kind: str  # keyword | vip | category | model
    reason: str

    @property
    def source(self) -> str:
        return Ticket.PrioritySource.MODEL if self.kind == "model" else Ticket.PrioritySource.RULE

    def as_dict(self) -> dict[str, Any]:
        return {"priority": self.priority, "kind": self.kind, "reason": self.reason}


@dataclass(frozen=True)
class PriorityDecision:
    priority: str
    source: str
    reason: str
    candidates: tuple[Candidate, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "priority": self.priority,
            "source": self.source,
            "reason": self.reason,
            "candidates": [c.as_dict() for c in self.candidates],
        }


def _rule_candidates(rules: Sequence[PriorityRule], *, subject: str, description: str, is_vip: bool) -> list[Candidate]:
    found = []
    for rule in rules:
        if rule.priority not in Priority.values or (rule.vip_only and not is_vip):
            continue
        if rule.keywords:
            hit = find_keyword(rule.keywords, subject=subject, description=description)
            if hit is None:
                continue
            words, where = hit
            where_text = _("subject") if where == "subject" else _("description")
            reason = _("keyword '%(word)s' in %(where)s") % {"word": words, "where": where_text}
            if rule.vip_only:
                reason += " (" + _("VIP customer") + ")"
            found.append(Candidate(rule.priority, "keyword", reason))
        else:
            found.append(Candidate(rule.priority, "vip", _("VIP customer")))
    return found


def priority_decide(
    *,
    subject: str,
    description: str,
    is_vip: bool,
    category: Category | None,
    prediction: Prediction | None,
    rules: Sequence[PriorityRule | PriorityRuleSpec] | None = None,
) -> PriorityDecision:
    """`rules`: the active rules in order (intake passes its snapshot); read now when not given."""
    if rules is None:
        rules = list(PriorityRule.objects.filter(is_active=True).order_by("position", "pk"))
    candidates = _rule_candidates(rules, subject=subject, description=description, is_vip=is_vip)
    if category is not None and category.minimum_priority in Priority.values:
        reason = _("category %(name)s: at least %(priority)s") % {
            "name": category.name,
            "priority": Priority(category.minimum_priority).label,
        }
        candidates.append(Candidate(category.minimum_priority, "category", reason))
    confident = prediction is not None and prediction.confidence >= settings.PRIORITY_MODEL_MIN_CONFIDENCE
    if prediction is not None and confident and prediction.label in Priority.values:
        reason = _("model: %(priority)s %(confidence).2f") % {
            "priority": prediction.label,
            "confidence": prediction.confidence,
        }
        candidates.append(Candidate(prediction.label, "model", reason))
    if not candidates:
        return PriorityDecision(Priority.MEDIUM, Ticket.PrioritySource.DEFAULT, _("Default priority"), ())
    ranked = sorted(candidates, key=lambda c: (-Priority.rank(c.priority), SOURCE_ORDER[c.kind]))
    best = ranked[0]
    return PriorityDecision(best.priority, best.source, best.reason[:255], tuple(ranked))
