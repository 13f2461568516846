"""The finalization search (visits/engine.py) against a brute-force oracle, plus hand-made cases
that pin the rule's subtleties. Pure Python: no database."""

from datetime import UTC, datetime, timedelta
from itertools import product

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.visits.oracle import best_schedule, violations
from visits.engine import Offer, Problem, Schedule, VisitNeed

BASE = datetime(2030, 1, 7, 8, 0, tzinfo=UTC)
SLOT = timedelta(minutes=30)


def at(slot: int) -> datetime:
    return BASE + slot * SLOT


def as_choice(schedule: Schedule) -> list[tuple[datetime, tuple[Offer, ...]]]:
    return [(p.start, p.offers) for p in schedule.placements]


# --- random small groups ----------------------------------------------------------------------


@st.composite
def groups(draw):
    """1-3 visits (some dependent), 1-4 experts, proposals mostly where they can fit, some busy
    experts and alternatives: dense enough that most groups are full, small enough to brute-force."""
    n_visits = draw(st.integers(1, 3))
    visits = []
    for k in range(n_visits):
        windows = []
        for _ in range(draw(st.integers(1, 2))):
            lo = draw(st.integers(0, 6))
            windows.append((at(lo), at(lo + draw(st.integers(2, 8)))))
        depends_on = draw(st.one_of(st.none(), st.integers(0, k - 1), st.just(k - 1))) if k else None
        min_gap = draw(st.sampled_from([0, 0, 30]))
        visits.append(
            VisitNeed(
                id=100 + k,
                duration=timedelta(minutes=draw(st.sampled_from([30, 60, 60, 90]))),
                needed=draw(st.sampled_from([1, 1, 2])),
                windows=tuple(windows),
                depends_on=None if depends_on is None else 100 + depends_on,
                min_gap=timedelta(minutes=min_gap),
                max_gap=timedelta(minutes=min_gap + draw(st.sampled_from([0, 30, 60]))),
            )
        )
    n_experts = draw(st.integers(1, 4))
    keys = set()
    for k, visit in enumerate(visits):
        for _ in range(draw(st.integers(1, 6))):
            expert = draw(st.integers(0, n_experts - 1))
            if visit.depends_on is not None and draw(st.booleans()):
                # Right after a proposal for the parent visit, within the gap.
                parent = visits[visit.depends_on - 100]
                parent_slots = sorted(slot for _, v, slot in keys if v == visit.depends_on - 100) or [0]
                gap = draw(st.integers(visit.min_gap // SLOT, visit.max_gap // SLOT))
                slot = draw(st.sampled_from(parent_slots)) + parent.duration // SLOT + gap
            elif draw(st.sampled_from([True, True, True, False])):
                lo, hi = draw(st.sampled_from(visit.windows))
                slot = draw(st.integers((lo - BASE) // SLOT, (hi - BASE) // SLOT - 1))
            else:
                slot = draw(st.integers(0, 12))
            keys.add((expert, k, slot))
            if draw(st.sampled_from([False, True])):  # a second expert at the same start
                keys.add((draw(st.integers(0, n_experts - 1)), k, slot))
    keys = sorted(keys)
    order = draw(st.permutations(range(len(keys))))
    alternative = draw(st.lists(st.sampled_from([False, False, False, True]), min_size=len(keys), max_size=len(keys)))
    offers = [
        Offer(
            id=i + 1,
            expert_id=expert,
            visit_id=100 + visit,
            start=at(slot),
            priority=(order[i], i + 1),
            is_alternative=alternative[i],
        )
        for i, (expert, visit, slot) in enumerate(keys)
    ]
    busy = {}
    for expert in range(n_experts):
        if draw(st.sampled_from([False, False, True])):
            lo = draw(st.integers(0, 12))
            busy[expert] = [(at(lo), at(lo + draw(st.integers(1, 4))))]
    return visits, offers, busy


@settings(max_examples=400, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(groups())
def test_engine_picks_the_same_schedule_and_experts_as_the_oracle(group):
    visits, offers, busy = group

    found = Problem(visits, offers, busy).first()
    expected = best_schedule(visits, offers, busy)

    if expected is None:
        assert found is None
    else:
        assert found is not None
        assert as_choice(found) == expected
        assert violations(visits, as_choice(found), busy) == []


@settings(max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(groups())
def test_alternatives_ignore_windows_and_count_alternative_proposals(group):
    visits, offers, busy = group

    found = Problem(visits, offers, busy, use_windows=False, include_alternatives=True).first()
    expected = best_schedule(visits, offers, busy, use_windows=False, include_alternatives=True)

    assert (as_choice(found) if found else None) == expected


def _feasible_vectors(visits, offers, busy):
    """Every start vector some valid schedule has, ascending (brute force)."""
    starts = [sorted({o.start for o in offers if o.visit_id == v.id}) for v in visits]
    vectors = []
    for vector in product(*starts):
        pinned = [o for o in offers if o.start == vector[[v.id for v in visits].index(o.visit_id)]]
        if best_schedule(visits, pinned, busy, use_windows=False, include_alternatives=True) is not None:
            vectors.append(vector)
    return vectors


@settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(groups())
def test_distinct_schedules_are_the_earliest_start_vectors_in_order(group):
    visits, offers, busy = group

    found = Problem(visits, offers, busy, use_windows=False, include_alternatives=True).distinct(3)

    assert [s.starts for s in found] == _feasible_vectors(visits, offers, busy)[:3]
    for schedule in found:
        assert violations(visits, as_choice(schedule), busy, use_windows=False, include_alternatives=True) == []


# --- the rule's subtleties, by hand -------------------------------------------------------------


def _offer(i: int, expert: int, visit: int, slot: int, *, alternative: bool = False) -> Offer:
    return Offer(id=i, expert_id=expert, visit_id=visit, start=at(slot), priority=(i,), is_alternative=alternative)


def _visit(vid: int, *, needed: int = 1, minutes: int = 60, depends_on=None, gap=(0, 60), window=(0, 16)):
    return VisitNeed(
        id=vid,
        duration=timedelta(minutes=minutes),
        needed=needed,
        windows=((at(window[0]), at(window[1])),),
        depends_on=depends_on,
        min_gap=timedelta(minutes=gap[0]),
        max_gap=timedelta(minutes=gap[1]),
    )


def test_plumber_then_electrician_within_the_gap():
    plumber, electrician = _visit(1, minutes=120), _visit(2, depends_on=1, gap=(0, 60))
    offers = [
        _offer(1, expert=10, visit=1, slot=2),  # 09:00-11:00
        _offer(2, expert=20, visit=2, slot=7),  # 11:30: inside 0-60 min after 11:00
        _offer(3, expert=20, visit=2, slot=9),  # 12:30: gap 90 min, too late
    ]

    schedule = Problem([plumber, electrician], offers).first()

    assert schedule is not None
    assert [(p.start, p.expert_ids) for p in schedule.placements] == [(at(2), (10,)), (at(7), (20,))]


def test_an_earlier_start_wins_over_an_earlier_proposal():
    offers = [_offer(1, expert=10, visit=1, slot=6), _offer(2, expert=20, visit=1, slot=2)]

    schedule = Problem([_visit(1)], offers).first()

    assert schedule is not None and schedule.placements[0].expert_ids == (20,)


def test_at_the_same_start_the_earliest_proposers_win():
    offers = [_offer(3, expert=30, visit=1, slot=2), _offer(1, expert=10, visit=1, slot=2)]
    offers.append(_offer(2, expert=20, visit=1, slot=2))

    schedule = Problem([_visit(1, needed=2)], offers).first()

    assert schedule is not None and schedule.placements[0].expert_ids == (10, 20)


def test_experts_for_an_earlier_visit_never_cost_a_later_visit_its_earliest_start():
    # Two overlapping, independent visits. Taking the top-priority expert A for visit 1 would push
    # visit 2 to 10:00; the rule compares all starts first, so visit 1 gets B and both start at 9.
    offers = [
        _offer(1, expert=1, visit=1, slot=2),  # A, visit 1, 09:00
        _offer(2, expert=2, visit=1, slot=2),  # B, visit 1, 09:00
        _offer(3, expert=1, visit=2, slot=2),  # A, visit 2, 09:00
        _offer(4, expert=1, visit=2, slot=4),  # A, visit 2, 10:00
    ]

    schedule = Problem([_visit(1), _visit(2)], offers).first()

    assert schedule is not None
    assert [(p.start, p.expert_ids) for p in schedule.placements] == [(at(2), (2,)), (at(2), (1,))]


def test_alternatives_and_busy_experts_do_not_fill_a_visit():
    offers = [_offer(1, expert=1, visit=1, slot=2, alternative=True), _offer(2, expert=2, visit=1, slot=2)]
    busy = {2: [(at(3), at(5))]}  # expert 2 is booked 09:30-10:30 elsewhere

    assert Problem([_visit(1)], offers, busy).first() is None
    assert Problem([_visit(1)], offers).first().placements[0].expert_ids == (2,)


def test_starts_outside_the_windows_do_not_count():
    offers = [_offer(1, expert=1, visit=1, slot=20)]

    assert Problem([_visit(1, window=(0, 4))], offers).first() is None
    assert Problem([_visit(1, window=(0, 4))], offers, use_windows=False).first() is not None


def test_window_end_is_exclusive():
    offers = [_offer(1, expert=1, visit=1, slot=4)]

    assert Problem([_visit(1, window=(0, 4))], offers).first() is None


def test_a_dependency_on_a_scheduled_visit_uses_its_fixed_end():
    electrician = _visit(2, depends_on=1, gap=(30, 30))
    offers = [_offer(1, expert=1, visit=2, slot=4), _offer(2, expert=2, visit=2, slot=5)]

    schedule = Problem([electrician], offers, fixed={1: (at(0), at(4))}).first()

    assert schedule is not None and schedule.placements[0].expert_ids == (2,)


def test_a_dependency_must_point_to_an_earlier_visit():
    with pytest.raises(ValueError, match="earlier"):
        Problem([_visit(1, depends_on=2), _visit(2)], [])


def test_only_starts_pins_the_schedule():
    offers = [_offer(1, expert=1, visit=1, slot=2), _offer(2, expert=2, visit=1, slot=4)]

    schedule = Problem([_visit(1)], offers, only_starts={1: at(4)}).first()

    assert schedule is not None and schedule.starts == (at(4),)
