"""The "available jobs" board (HTMX, live by polling): propose start times, withdraw, take a seat
another expert gave up. Thin views: parse -> scoped selector -> one service -> render/redirect."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from zen_queries import render

from experts.forms import ProposeForm
from experts.models import ExpertProfile, Proposal
from experts.selectors import (
    Slot,
    area_label,
    expert_profile_of,
    grid_slots,
    job_board_for,
    proposals_of,
    replacement_seat_scope,
    replacement_seats_for,
    visit_scope_for_expert,
)
from experts.services import proposal_create, proposal_withdraw
from helpdesk.access import expert_only
from helpdesk.errors import DomainError
from helpdesk.typing import AuthedHttpRequest
from tickets.models import Priority
from visits.models import Visit
from visits.services.replacements import replacement_accept


@dataclass(frozen=True)
class JobCard:
    """One board row: only what an expert needs to decide; nothing that identifies the customer."""

    visit: Visit
    priority_label: str
    area: str
    appliance: str
    summary: str
    windows: list[tuple[datetime, datetime]]
    needed: int
    proposed: int
    slots: list[Slot]
    my_proposals: list[Proposal]
    errors: list[str] = field(default_factory=list)


def _appliance(visit: Visit) -> str:
    brand = getattr(visit, "appliance_brand", None)
    if brand:
        return f"{brand} {getattr(visit, 'appliance_model', '')}".strip()
    return getattr(visit, "appliance_text", "") or ""


def job_cards(visits: Sequence[Visit], now: datetime, errors: dict[int, list[str]] | None = None) -> list[JobCard]:
    cards = []
    for visit in visits:
        windows = [(w.window.lower, w.window.upper) for w in visit.windows.all()]
        mine: list[Proposal] = getattr(visit, "my_proposals", [])
        proposed = {p.start_at for p in mine}
        cards.append(
            JobCard(
                visit=visit,
                priority_label=str(Priority(getattr(visit, "priority", Priority.MEDIUM)).label),
                area=area_label(getattr(visit, "area_postal", ""), getattr(visit, "area_city", "")),
                appliance=_appliance(visit),
                summary=getattr(visit, "summary", ""),
                windows=windows,
                needed=visit.experts_needed,
                proposed=getattr(visit, "proposer_count", 0),
                slots=[s for s in grid_slots(windows, now=now) if s.start not in proposed],
                my_proposals=mine,
                errors=(errors or {}).get(visit.pk, []),
            )
        )
    return cards


def _board(
    request: AuthedHttpRequest,
    expert: ExpertProfile | None,
    *,
    errors: dict[int, list[str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    now = timezone.now()
    visits = job_board_for(expert=expert) if expert else []
    seats = replacement_seats_for(expert=expert) if expert else []
    context = {
        "expert": expert,
        "cards": job_cards(visits, now, errors),
        "seats": [
            (seat, area_label(getattr(seat, "area_postal", ""), getattr(seat, "area_city", ""))) for seat in seats
        ],
        "now": now,
    }
    template = (
        "experts/board.html#board"
        if request.htmx and not request.htmx.history_restore_request
        else "experts/board.html"
    )
    return render(request, template, context, status=status)


@expert_only
@require_GET
@vary_on_headers("HX-Request")
def board(request: AuthedHttpRequest) -> HttpResponse:
    return _board(request, expert_profile_of(request.user))


def _expert(request: AuthedHttpRequest) -> ExpertProfile:
    expert = expert_profile_of(request.user)
    if expert is None:
        raise Http404
    return expert


def _after_change(
    request: AuthedHttpRequest, expert: ExpertProfile, *, error: tuple[int, str] | None = None
) -> HttpResponse:
    if request.htmx:
        errors = {error[0]: [error[1]]} if error else None
        return _board(request, expert, errors=errors, status=422 if error else 200)
    if error:
        messages.error(request, error[1])
    return redirect("experts:board")


@expert_only
@require_POST
def propose(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    expert = _expert(request)
    visit = get_object_or_404(visit_scope_for_expert(expert=expert), pk=pk)
    form = ProposeForm(request.POST)
    if not form.is_valid():
        first = next(iter(form.errors.values()))[0]
        return _after_change(request, expert, error=(visit.pk, str(first)))
    try:
        created = proposal_create(expert=expert, visit=visit, start_times=form.cleaned_data["starts"])
    except DomainError as exc:
        return _after_change(request, expert, error=(visit.pk, str(exc)))
    text = _("Proposed %(n)d start time(s).") % {"n": len(created)}
    if any(p.is_alternative for p in created):
        text += " " + _("Times outside the customer's windows were sent as alternatives.")
    messages.success(request, text)
    return _after_change(request, expert)


@expert_only
@require_POST
def withdraw(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    expert = _expert(request)
    proposal = get_object_or_404(proposals_of(expert=expert), pk=pk)
    try:
        proposal_withdraw(proposal=proposal, expert=expert)
    except DomainError as exc:
        return _after_change(request, expert, error=(proposal.visit_id, str(exc)))
    messages.success(request, _("Proposal withdrawn."))
    return _after_change(request, expert)


@expert_only
@require_POST
def take_seat(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    expert = _expert(request)
    visit = get_object_or_404(replacement_seat_scope(expert=expert), pk=pk)
    try:
        replacement_accept(visit=visit, expert=expert)
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("experts:board")
    messages.success(request, _("The visit is yours. Thanks for stepping in!"))
    return redirect("experts:visit", pk=visit.pk)
