"""The priority rules shipped by migration (edited later by leads in the admin)."""

import pytest

from tickets.services.priority import priority_decide

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("subject", "description", "vip", "expected"),
    [
        ("Gasgeruch im Keller", "Es riecht stark.", False, "URGENT"),
        ("Smoke from the socket", "Please come.", False, "URGENT"),
        ("Rohr", "Wasserrohrbruch in der Küche!", False, "URGENT"),
        ("Dringend: Termin", "Bitte melden.", False, "HIGH"),
        ("Kritischer Fehler", "Die Anlage ist kritisch.", False, "HIGH"),
        ("Power outage", "Half the flat is dark.", False, "HIGH"),
        ("Stromausfall", "Seit einer Stunde.", False, "HIGH"),
        ("Keine Heizung", "Seit gestern.", False, "HIGH"),
        ("Water leak", "Under the sink.", False, "HIGH"),
        ("Wasserschaden", "Im Bad.", False, "HIGH"),
        ("Tap drips", "Slowly.", True, "MEDIUM"),
        ("Tap drips", "Slowly.", False, "MEDIUM"),
    ],
)
def test_shipped_rules(subject, description, vip, expected):
    decision = priority_decide(subject=subject, description=description, is_vip=vip, category=None, prediction=None)

    assert decision.priority == expected
