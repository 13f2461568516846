"""Turn a ticket's stored routing reason (Ticket.routing_reason) into the "why this category /
priority / team / agent" lines the agent sees. Pure: reads only the ticket's own fields."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from tickets.models import Ticket


@dataclass
class Section:
    title: str
    lines: list[str] = field(default_factory=list)
    table: list[dict[str, Any]] = field(default_factory=list)  # agent candidates with their scores
    weights: dict[str, float] = field(default_factory=dict)


def _category(ticket: Ticket, data: dict[str, Any]) -> Section:
    section = Section(_("Why this category"))
    outcome = data.get("outcome")
    version = data.get("version")
    top = data.get("top") or []
    threshold = data.get("threshold")
    if ticket.category_source == Ticket.CategorySource.AGENT:
        section.lines.append(_("Set by an agent (the label trains the next model)."))
    elif ticket.category_source == Ticket.CategorySource.MODEL and ticket.category is not None:
        section.lines.append(
            _("Classifier v%(version)s: %(label)s with confidence %(confidence).2f (threshold %(threshold).2f).")
            % {
                "version": version,
                "label": ticket.category.name,
                "confidence": data.get("confidence") or 0,
                "threshold": threshold or 0,
            }
        )
    elif outcome == "below_threshold":
        section.lines.append(
            _(
                "The classifier was not sure (best %(label)s %(confidence).2f, below %(threshold).2f): "
                "a person classifies it."
            )
            % {"label": data.get("label"), "confidence": data.get("confidence") or 0, "threshold": threshold or 0}
        )
    elif outcome == "unavailable":
        section.lines.append(_("The classifier was unavailable: %(error)s") % {"error": data.get("error", "")})
    elif outcome == "unknown_label":
        section.lines.append(_("The classifier chose “%(label)s”, which is not an active category.") % data)
    elif outcome == "not_configured":
        section.lines.append(_("No classifier model was trained yet: a person classifies it."))
    if ticket.category_source != Ticket.CategorySource.AGENT and len(top) > 1:
        section.lines.append(
            _("Alternatives: %(list)s") % {"list": ", ".join(f"{label} {score:.2f}" for label, score in top[1:])}
        )
    return section


def _priority(ticket: Ticket, data: dict[str, Any]) -> Section:
    section = Section(_("Why this priority"))
    section.lines.append(
        _("%(priority)s: %(reason)s") % {"priority": ticket.get_priority_display(), "reason": ticket.priority_reason}
    )
    others = list(data.get("candidates", [])[1:])
    if others:
        section.lines.append(
            _("Also considered: %(list)s") % {"list": "; ".join(f"{c['reason']} → {c['priority']}" for c in others)}
        )
    return section


def _team(data: dict[str, Any]) -> Section:
    section = Section(_("Why this team"))
    rule = data.get("rule")
    if rule:
        section.lines.append(
            _("Routing rule “%(name)s”: %(conditions)s.")
            % {"name": rule["name"], "conditions": ", ".join(rule["conditions"])}
        )
    if data.get("via") == "category":
        section.lines.append(_("The default team of the category."))
    elif data.get("via") == "none" and not rule:
        section.lines.append(_("No rule and no category: no team yet."))
    for step in data.get("overflow", []):
        target = step.get("to_team") or step.get("to_tier") or step.get("note", "")
        section.lines.append(
            _("Overflow: %(team)s had %(queue)s unassigned tickets (threshold %(threshold)s) → %(target)s.")
            % {"team": step["team"], "queue": step["queue"], "threshold": step["threshold"], "target": target}
        )
    if data.get("after"):
        section.lines.append(_("Routed again when %(after)s.") % {"after": data["after"]})
    return section


def _agent(data: dict[str, Any]) -> Section:
    section = Section(_("Why this agent"))
    if data.get("summary"):
        section.lines.append(str(data["summary"]))
    if data.get("note"):
        section.lines.append(str(data["note"]))
    if data.get("outcome") == "assigned_when_free" and data.get("queued", {}).get("summary"):
        section.lines.append(_("Before: %(summary)s") % {"summary": data["queued"]["summary"]})
    section.table = list(data.get("candidates") or [])
    chosen = (data.get("chosen") or {}).get("id")
    for row in section.table:
        row["is_chosen"] = row.get("id") == chosen
    section.weights = dict(data.get("weights") or {})
    return section


def explain(ticket: Ticket) -> list[Section]:
    reason = ticket.routing_reason or {}
    sections = [_category(ticket, reason.get("classifier") or {})]
    sections.append(_priority(ticket, reason.get("priority") or {}))
    if reason.get("team"):
        sections.append(_team(reason["team"]))
    if reason.get("agent"):
        sections.append(_agent(reason["agent"]))
    return sections
