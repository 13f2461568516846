import pytest

from accounts.models import User
from kb.models import Article
from kb.services import article_save_version


def make_article(
    title: str,
    body: str = "",
    *,
    summary: str = "",
    tags: tuple[str, ...] = (),
    language: str = "en",
    status: str = Article.Status.PUBLISHED,
    actor: User | None = None,
) -> Article:
    """An article saved through the service (versioned and indexed like the admin does it)."""
    article = Article(
        title=title,
        body_markdown=body or f"All about {title.lower()}.",
        summary=summary,
        tags=list(tags),
        language=language,
        status=status,
    )
    return article_save_version(article=article, actor=actor)


@pytest.fixture
def library() -> dict[str, Article]:
    """A small, realistic help center in English and German."""
    specs = {
        "washer": (
            "Washing machine won't drain",
            "Water left in the drum is usually a blocked drain pump filter or a kinked drain hose.",
            ("washing machine", "drain", "pump", "filter"),
            "en",
        ),
        "dishwasher": (
            "Dishwasher error E15",
            "E15 means the Aquastop found water in the base tray. Tilt the dishwasher back to drain it.",
            ("dishwasher", "E15", "aquastop", "leak"),
            "en",
        ),
        "breaker": (
            "Resetting a tripped circuit breaker",
            "If the power is off in one room, a machine or appliance may have tripped the breaker or fuse.",
            ("electrical", "fuse", "breaker", "power"),
            "en",
        ),
        "boiler": (
            "Boiler pressure too low",
            "Top up the heating system to 1.5 bar with the filling loop. Radiators stay cold when pressure drops.",
            ("heating", "boiler", "pressure"),
            "en",
        ),
        "fridge": (
            "Fridge not cooling properly",
            "Check the thermostat, clean the condenser coils and keep the door seal tight.",
            ("fridge", "cooling", "temperature"),
            "en",
        ),
        "billing": (
            "How billing and your subscription work",
            "Your plan renews monthly. Invoices are sent by email; you can change your payment method.",
            ("billing", "invoice", "subscription", "payment"),
            "en",
        ),
        "waschmaschine": (
            "Waschmaschine pumpt nicht ab",
            "Meistens ist das Flusensieb verstopft oder der Ablaufschlauch geknickt. Reinigen Sie die Laugenpumpe.",
            ("Waschmaschine", "Abpumpen", "Flusensieb"),
            "de",
        ),
        "heizung": (
            "Heizkörper wird nicht warm",
            "Entlüften Sie den Heizkörper und prüfen Sie den Druck der Heizungsanlage.",
            ("Heizung", "Heizkörper", "entlüften"),
            "de",
        ),
    }
    return {
        key: make_article(title, body, tags=tags, language=language)
        for key, (title, body, tags, language) in specs.items()
    }
