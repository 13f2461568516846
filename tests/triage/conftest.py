"""Triage tests train on the shipped home-service examples (about 500 rows, a second or two).
The fitted pipelines are built once per session; each test gets its own MODEL_DIR and rows."""

import csv
import shutil
from pathlib import Path

import joblib
import pytest
from django.conf import settings

from tests.factories import AgentProfileFactory, AgentSkillFactory, CategoryFactory, TeamFactory
from triage import datasets, ml, registry
from triage.models import ClassifierModel

HOME_CSV = Path(settings.BASE_DIR) / "data" / "training" / "home_services" / "tickets.csv"
SLUGS = {
    "plumbing": "Plumbing",
    "electrical": "Electrical",
    "appliance-repair": "Appliance repair",
    "heating": "Heating",
    "billing": "Billing",
    "account": "Account",
    "scheduling": "Scheduling",
    "general": "General",
}


@pytest.fixture(autouse=True)
def _fresh_registry(settings, tmp_path):
    """Each test: its own model directory and no model remembered from another test."""
    settings.MODEL_DIR = tmp_path / "models"
    registry.clear()
    yield
    registry.clear()


@pytest.fixture(scope="session")
def small_csv(tmp_path_factory) -> Path:
    """24 rows per category of the shipped examples (192 rows): trains in well under a second."""
    with HOME_CSV.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    kept, seen = [], {}
    for row in rows:
        seen[row["category"]] = seen.get(row["category"], 0) + 1
        if seen[row["category"]] <= 24:
            kept.append(row)
    path = tmp_path_factory.mktemp("data") / "small.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(kept[0]))
        writer.writeheader()
        writer.writerows(kept)
    return path


@pytest.fixture(scope="session")
def fitted(tmp_path_factory) -> Path:
    """Category and priority model files fitted once on the home-service examples."""
    directory = tmp_path_factory.mktemp("fitted-models")
    examples = datasets.load_csv(HOME_CSV)
    for kind, attribute in (("CATEGORY", "category"), ("PRIORITY", "priority")):
        texts, labels = datasets.target(examples, attribute)
        pipeline = ml.fit(texts, labels)
        name = registry.file_name(kind, 1)
        joblib.dump({"format": registry.FORMAT, "kind": kind, "version": 1, "pipeline": pipeline}, directory / name)
    return directory


@pytest.fixture
def models(fitted, settings) -> dict[str, ClassifierModel]:
    """Active category and priority models (version 1), their files in this test's MODEL_DIR."""
    target = Path(settings.MODEL_DIR)
    target.mkdir(parents=True, exist_ok=True)
    rows = {}
    for kind in ("CATEGORY", "PRIORITY"):
        name = registry.file_name(kind, 1)
        shutil.copy(fitted / name, target / name)
        rows[kind] = ClassifierModel.objects.create(kind=kind, version=1, file_path=name, is_active=True)
    return rows


@pytest.fixture
def categories() -> dict[str, object]:
    """The product's categories, each with its own team (so routing is visible in tests)."""
    found = {}
    for slug, name in SLUGS.items():
        team = TeamFactory.create(name=f"{name} team")
        found[slug] = CategoryFactory.create(slug=slug, name=name, default_team=team)
    return found


@pytest.fixture
def plumbing_agents(categories):
    """Two available plumbing agents in the plumbing team."""
    team = categories["plumbing"].default_team
    agents = [AgentProfileFactory.create(team=team, max_tickets=5) for _ in range(2)]
    for agent in agents:
        AgentSkillFactory.create(agent=agent, category=categories["plumbing"], level=3)
    return agents
