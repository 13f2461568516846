"""The finalization rule as a pure search (no database): which schedule books a visit group.

A schedule gives every open visit a start time and exactly `needed` distinct experts, each of whom
proposed that visit at that start; starts lie inside the customer's windows (alternative proposals
do not count); every dependency gap holds; no expert overlaps another visit of the group or one of
their existing bookings. Among all schedules the rule picks the one whose start times are earliest,
compared visit by visit in dependency order, and for those starts the experts by time priority
(earliest proposals first, compared visit by visit).

The search enumerates exactly in that order, so the first complete schedule it meets is the answer:

1. Start vectors depth-first, each visit's candidate starts ascending. A prefix is abandoned only when
   it cannot be staffed (a necessary condition), so the first feasible leaf is the smallest vector.
2. For that vector, experts depth-first, each visit's combinations in lexicographic order of their
   sorted priorities (itertools.combinations over a priority-sorted list yields exactly that order).

Experts can only clash between visits whose times overlap, so staffing splits into independent
components of the overlap graph; the lexicographic minimum over all visits is the per-component
minimum. Dependent visits never overlap (gap >= 0), so a chain of N visits is N independent picks.
`tests/visits/test_engine.py` checks all this against a brute-force oracle with hypothesis.
"""

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import combinations
from typing import Any

Interval = tuple[datetime, datetime]


@dataclass(frozen=True)
class VisitNeed:
    """An open visit to place. `windows` are [lo, hi) ranges in which the start must lie."""

    id: int
    duration: timedelta
    needed: int
    windows: tuple[Interval, ...]
    depends_on: int | None = None
    min_gap: timedelta = timedelta(0)
    max_gap: timedelta = timedelta(minutes=60)


@dataclass(frozen=True)
class Offer:
    """A proposal: `expert_id` would do `visit_id` starting at `start`. Smaller priority = earlier."""

    id: int
    expert_id: int
    visit_id: int
    start: datetime
    priority: tuple[Any, ...]
    is_alternative: bool = False


@dataclass(frozen=True)
class Placement:
    visit_id: int
    start: datetime
    end: datetime
    offers: tuple[Offer, ...]  # in priority order

    @property
    def expert_ids(self) -> tuple[int, ...]:
        return tuple(o.expert_id for o in self.offers)


@dataclass(frozen=True)
class Schedule:
    placements: tuple[Placement, ...]  # in dependency (visit) order

    @property
    def starts(self) -> tuple[datetime, ...]:
        return tuple(p.start for p in self.placements)

    def as_json(self) -> dict[str, Any]:
        return {
            "visits": [
                {
                    "visit_id": p.visit_id,
                    "start": p.start.isoformat(),
                    "end": p.end.isoformat(),
                    "expert_ids": list(p.expert_ids),
                    "proposal_ids": [o.id for o in p.offers],
                }
                for p in self.placements
            ]
        }


def _overlaps(a: Interval, b: Interval) -> bool:
    return a[0] < b[1] and b[0] < a[1]


@dataclass
class Problem:
    """One group's search. `visits` in dependency order (a visit depends only on an earlier one or
    on a `fixed` visit: already scheduled, given as id -> (start, end)). `busy` maps expert id to
    their existing bookings. `only_starts` pins each visit to one start (reschedule offers)."""

    visits: Sequence[VisitNeed]
    offers: Iterable[Offer]
    busy: Mapping[int, Sequence[Interval]] = field(default_factory=dict)
    fixed: Mapping[int, Interval] = field(default_factory=dict)
    use_windows: bool = True
    include_alternatives: bool = False
    only_starts: Mapping[int, datetime] | None = None

    def __post_init__(self) -> None:
        self._index = {v.id: k for k, v in enumerate(self.visits)}
        for k, v in enumerate(self.visits):
            parent = v.depends_on
            if parent is not None and parent not in self.fixed and self._index.get(parent, k) >= k:
                raise ValueError(f"visit {v.id} must depend on an earlier or fixed visit")
        self._cands: list[dict[datetime, list[Offer]]] = [self._candidates(k, v) for k, v in enumerate(self.visits)]
        self._starts: list[list[datetime]] = [sorted(c) for c in self._cands]
        self._memo: dict[tuple[tuple[int, datetime], ...], tuple[tuple[Offer, ...], ...] | None] = {}

    # --- candidates ------------------------------------------------------------------------------

    def _candidates(self, k: int, visit: VisitNeed) -> dict[datetime, list[Offer]]:
        best: dict[tuple[datetime, int], Offer] = {}
        pinned = self.only_starts.get(visit.id) if self.only_starts is not None else None
        for offer in self.offers:
            if offer.visit_id != visit.id or (offer.is_alternative and not self.include_alternatives):
                continue
            if pinned is not None and offer.start != pinned:
                continue
            if self.only_starts is not None and pinned is None:
                continue
            if self.use_windows and not any(lo <= offer.start < hi for lo, hi in visit.windows):
                continue
            span = (offer.start, offer.start + visit.duration)
            if any(_overlaps(span, b) for b in self.busy.get(offer.expert_id, ())):
                continue
            key = (offer.start, offer.expert_id)
            if key not in best or offer.priority < best[key].priority:
                best[key] = offer
        by_start: dict[datetime, list[Offer]] = {}
        for (start, _), offer in best.items():
            by_start.setdefault(start, []).append(offer)
        return {
            start: sorted(found, key=lambda o: o.priority)
            for start, found in by_start.items()
            if len(found) >= visit.needed
        }

    # --- start vectors ---------------------------------------------------------------------------

    def _start_options(self, k: int, starts: Sequence[datetime]) -> Sequence[datetime]:
        """Visit k's candidate starts, ascending, that keep the gap to its parent (starts[:k] are set)."""
        visit, options = self.visits[k], self._starts[k]
        if visit.depends_on is None:
            return options
        if visit.depends_on in self.fixed:
            parent_end = self.fixed[visit.depends_on][1]
        else:
            parent = self._index[visit.depends_on]
            parent_end = starts[parent] + self.visits[parent].duration
        lo = bisect_left(options, parent_end + visit.min_gap)
        hi = bisect_right(options, parent_end + visit.max_gap)
        return options[lo:hi]

    def _component(self, k: int, starts: Sequence[datetime]) -> list[int]:
        """Visits among 0..k linked to k by overlapping times: experts can clash only there."""
        spans = [(s, s + v.duration) for s, v in zip(starts[: k + 1], self.visits, strict=False)]
        seen, todo = {k}, [k]
        while todo:
            i = todo.pop()
            for j, span in enumerate(spans):
                if j not in seen and _overlaps(spans[i], span):
                    seen.add(j)
                    todo.append(j)
        return sorted(seen)

    def _vectors(self) -> Iterator[tuple[datetime, ...]]:
        """Feasible start vectors in lexicographic order."""
        n = len(self.visits)
        starts: list[datetime] = []

        def rec(k: int) -> Iterator[tuple[datetime, ...]]:
            if k == n:
                yield tuple(starts)
                return
            for start in self._start_options(k, starts):
                starts.append(start)
                # The component of k among 0..k is final once k is its largest member, so checking
                # it here prunes exactly the prefixes that no extension could staff.
                if self._staff(self._component(k, starts), starts) is not None:
                    yield from rec(k + 1)
                starts.pop()

        if n and all(self._starts):
            yield from rec(0)

    # --- experts ---------------------------------------------------------------------------------

    def _staff(self, comp: list[int], starts: Sequence[datetime]) -> tuple[tuple[Offer, ...], ...] | None:
        """The lexicographically smallest staffing of one overlap component, or None."""
        key = tuple((k, starts[k]) for k in comp)
        if key in self._memo:
            return self._memo[key]
        spans = {k: (starts[k], starts[k] + self.visits[k].duration) for k in comp}
        chosen: list[tuple[Offer, ...]] = []

        def rec(i: int) -> bool:
            if i == len(comp):
                return True
            k = comp[i]
            blocked = {
                offer.expert_id
                for j, picked in zip(comp, chosen, strict=False)
                if _overlaps(spans[j], spans[k])
                for offer in picked
            }
            pool = [o for o in self._cands[k][starts[k]] if o.expert_id not in blocked]
            for combo in combinations(pool, self.visits[k].needed):
                chosen.append(combo)
                if rec(i + 1):
                    return True
                chosen.pop()
            return False

        found = tuple(chosen) if rec(0) else None
        self._memo[key] = found
        return found

    def _schedule(self, starts: tuple[datetime, ...]) -> Schedule:
        picked: dict[int, tuple[Offer, ...]] = {}
        for k in reversed(range(len(self.visits))):  # the largest member closes its component
            if k not in picked:
                comp = self._component(k, starts)
                staffing = self._staff(comp, starts)
                if staffing is None:  # cannot happen: _vectors only yields staffable vectors
                    raise AssertionError("unstaffable start vector")
                picked.update(zip(comp, staffing, strict=True))
        return Schedule(
            tuple(Placement(v.id, starts[k], starts[k] + v.duration, picked[k]) for k, v in enumerate(self.visits))
        )

    # --- answers ---------------------------------------------------------------------------------

    def first(self) -> Schedule | None:
        """The schedule the finalization rule picks, or None when the group is not full."""
        for starts in self._vectors():
            return self._schedule(starts)
        return None

    def distinct(self, limit: int) -> list[Schedule]:
        """Up to `limit` schedules with different start times, best first (reschedule offers)."""
        found = []
        for starts in self._vectors():
            found.append(self._schedule(starts))
            if len(found) >= limit:
                break
        return found
