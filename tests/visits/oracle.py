"""Brute force: every combination of (start, experts) per visit, every constraint checked
directly, the minimum taken by the finalization rule's key. Independent of visits/engine.py."""

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from itertools import combinations, product
from typing import Any

from visits.engine import Interval, Offer, VisitNeed


def _overlap(a: Interval, b: Interval) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def violations(
    visits: Sequence[VisitNeed],
    choice: Sequence[tuple[datetime, Sequence[Offer]]],
    busy: Mapping[int, Sequence[Interval]],
    *,
    use_windows: bool = True,
    include_alternatives: bool = False,
) -> list[str]:
    """Every rule a schedule breaks (empty: it is a valid schedule)."""
    found = []
    by_id = {v.id: (v, start, offers) for v, (start, offers) in zip(visits, choice, strict=True)}
    for v, (start, offers) in zip(visits, choice, strict=True):
        span = (start, start + v.duration)
        if len(offers) != v.needed or len({o.expert_id for o in offers}) != v.needed:
            found.append(f"visit {v.id}: wrong number of distinct experts")
        for o in offers:
            if o.visit_id != v.id or o.start != start:
                found.append(f"visit {v.id}: expert {o.expert_id} did not propose this start")
            if o.is_alternative and not include_alternatives:
                found.append(f"visit {v.id}: alternative proposal used")
            if any(_overlap(span, b) for b in busy.get(o.expert_id, ())):
                found.append(f"visit {v.id}: expert {o.expert_id} is booked elsewhere")
        if use_windows and not any(lo <= start < hi for lo, hi in v.windows):
            found.append(f"visit {v.id}: start outside the windows")
        if v.depends_on is not None:
            parent, parent_start, _ = by_id[v.depends_on]
            gap = start - (parent_start + parent.duration)
            if not v.min_gap <= gap <= v.max_gap:
                found.append(f"visit {v.id}: gap {gap} out of range")
    for (v, (s, offers)), (w, (t, others)) in combinations(zip(visits, choice, strict=True), 2):
        if _overlap((s, s + v.duration), (t, t + w.duration)):
            shared = {o.expert_id for o in offers} & {o.expert_id for o in others}
            if shared:
                found.append(f"visits {v.id}/{w.id}: experts {sorted(shared)} in two places")
    return found


def rule_key(choice: Sequence[tuple[datetime, Sequence[Offer]]]) -> tuple[Any, ...]:
    """Earliest starts visit by visit; then experts by time priority, visit by visit."""
    return (
        tuple(start for start, _ in choice),
        tuple(tuple(sorted(o.priority for o in offers)) for _, offers in choice),
    )


def best_schedule(
    visits: Sequence[VisitNeed],
    offers: Iterable[Offer],
    busy: Mapping[int, Sequence[Interval]],
    *,
    use_windows: bool = True,
    include_alternatives: bool = False,
) -> list[tuple[datetime, tuple[Offer, ...]]] | None:
    offers = list(offers)
    per_visit = []
    for v in visits:
        mine = [o for o in offers if o.visit_id == v.id]
        options = []
        for start in sorted({o.start for o in mine}):
            at_start = [o for o in mine if o.start == start]
            options.extend((start, combo) for combo in combinations(at_start, v.needed))
        per_visit.append(options)
    best = None
    for choice in product(*per_visit):
        if violations(visits, choice, busy, use_windows=use_windows, include_alternatives=include_alternatives):
            continue
        if best is None or rule_key(choice) < rule_key(best):
            best = choice
    return [(start, tuple(sorted(offers, key=lambda o: o.priority))) for start, offers in best] if best else None
