"""Training, evaluation and activation: the services, the two management commands and the weekly
retrain task (idempotent, keeps the current model unless the new one scores better)."""

import csv
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.factories import CategoryFactory, TicketFactory
from tickets.models import Ticket
from triage import registry, services
from triage.models import ClassifierModel
from triage.tasks import classifier_retrain_weekly

pytestmark = pytest.mark.django_db


def _write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def rows(small_csv) -> list[dict[str, str]]:
    with small_csv.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_training_saves_versioned_files_and_rows_with_metrics(small_csv):
    first = services.classifier_train(csv_paths=[small_csv], folds=2)
    second = services.classifier_train(csv_paths=[small_csv], folds=0)

    category = first.targets["CATEGORY"].model
    assert (category.kind, category.version, category.file_path) == ("CATEGORY", 1, "category-v1.joblib")
    assert category.training_rows == 192
    assert category.metrics["cv"]["folds"] == 2
    assert 0.5 < category.metrics["cv"]["macro_f1"] <= 1.0
    assert set(category.metrics["cv"]["per_class"]) == {
        "account",
        "appliance-repair",
        "billing",
        "electrical",
        "general",
        "heating",
        "plumbing",
        "scheduling",
    }
    assert category.labels == sorted(category.metrics["cv"]["per_class"])
    assert (registry.model_dir() / "category-v1.joblib").is_file()
    assert first.targets["PRIORITY"].model.labels == ["HIGH", "LOW", "MEDIUM", "URGENT"]
    # The second run is version 2 and the only active model of its kind.
    assert list(ClassifierModel.objects.filter(is_active=True).values_list("kind", "version")) == [
        ("CATEGORY", 2),
        ("PRIORITY", 2),
    ]
    assert second.targets["CATEGORY"].model.metrics["cv"] is None


def test_without_a_priority_column_only_the_category_model_is_trained(tmp_path, rows):
    path = _write_csv(tmp_path / "c.csv", [{"text": r["text"], "category": r["category"]} for r in rows])

    result = services.classifier_train(csv_paths=[path], folds=0)

    assert result.targets["PRIORITY"].model is None
    assert "not enough to train" in result.targets["PRIORITY"].skipped
    assert list(ClassifierModel.objects.values_list("kind", flat=True)) == ["CATEGORY"]


def test_agent_labels_from_the_database_train_a_model():
    billing, plumbing = CategoryFactory.create(slug="billing"), CategoryFactory.create(slug="plumbing")
    for i in range(6):
        TicketFactory.create(
            subject=f"Invoice {i} wrong", description="charged twice", category=billing, category_source="AGENT"
        )
        TicketFactory.create(
            subject=f"Leak {i}", description="pipe drips in kitchen", category=plumbing, category_source="AGENT"
        )
    TicketFactory.create(subject="Model said so", category=plumbing, category_source=Ticket.CategorySource.MODEL)

    result = services.classifier_train(csv_paths=[], from_db=True, folds=2)

    model = result.targets["CATEGORY"].model
    assert (model.training_rows, model.training_sources, model.labels) == (12, ["database"], ["billing", "plumbing"])


def test_train_classifier_command_prints_scores_and_progress(small_csv):
    out = StringIO()

    call_command("train_classifier", "--csv", str(small_csv), "--folds", "2", stdout=out)

    text = out.getvalue()
    assert "Loaded 192 labelled rows" in text
    assert "fold 1/2" in text and "fold 2/2" in text
    assert "cross-validated accuracy" in text and "macro-F1" in text
    assert "appliance-repair" in text and "precision" in text  # the per-class report
    assert "saved category-v1.joblib (v1, active)" in text
    assert ClassifierModel.objects.filter(is_active=True).count() == 2


def test_train_classifier_if_missing_does_nothing_when_a_model_is_active(models):
    out = StringIO()

    call_command("train_classifier", "--if-missing", stdout=out)

    assert "nothing to train" in out.getvalue()
    assert ClassifierModel.objects.count() == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        ("words,label\nhello,billing\n", "needs the columns text,category"),
        (b"\xff\xfe\x00garbage", "not a UTF-8 CSV"),
        ("text,category\nonly one,billing\n", "Nothing was trained"),
    ],
    ids=["missing", "wrong-columns", "not-utf8", "one-label"],
)
def test_train_classifier_refuses_unusable_files_without_side_effects(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")

    with pytest.raises(CommandError, match=message):
        call_command("train_classifier", "--csv", str(path), "--folds", "0", stdout=StringIO())

    assert ClassifierModel.objects.exists() is False


def test_from_db_without_labels_is_an_error():
    with pytest.raises(CommandError):
        call_command("train_classifier", "--from-db", stdout=StringIO())


def test_evaluate_classifier_scores_category_and_priority_on_the_test_file(tmp_path, rows):
    train = _write_csv(tmp_path / "train.csv", rows[::2])
    test = _write_csv(tmp_path / "test.csv", rows[1::2])
    out = StringIO()

    call_command("evaluate_classifier", "--train", str(train), "--test", str(test), stdout=out)

    table = [line.split() for line in out.getvalue().splitlines() if line.split()[1:2] == ["96"]]
    lines = {cells[0]: cells for cells in table}
    assert set(lines) == {"category", "priority"}  # 96 scored rows each
    assert 0.5 < float(lines["category"][3]) <= 1.0 and 0.3 < float(lines["priority"][3]) <= 1.0
    assert ClassifierModel.objects.exists() is False  # evaluation saves nothing


def test_evaluate_classifier_without_priority_column_scores_category_only(tmp_path, rows):
    rows = [{"text": r["text"], "category": r["category"]} for r in rows]
    train, test = _write_csv(tmp_path / "a.csv", rows[::2]), _write_csv(tmp_path / "b.csv", rows[1::2])
    out = StringIO()

    call_command("evaluate_classifier", "--train", str(train), "--test", str(test), stdout=out)

    assert "priority" in out.getvalue() and "no labels in the training data" in out.getvalue()


def test_evaluate_classifier_cross_validates_without_a_test_file(small_csv):
    out = StringIO()

    call_command("evaluate_classifier", "--train", str(small_csv), "--folds", "3", stdout=out)

    assert "(3-fold CV)" in out.getvalue()
    assert "fold 3/3" in out.getvalue()


# --- champion / challenger -------------------------------------------------------------------------


def test_the_weekly_retrain_keeps_the_current_model_unless_the_new_one_scores_better(settings, small_csv):
    settings.CLASSIFIER_TRAINING_FILES, settings.CLASSIFIER_CV_FOLDS = [small_csv], 2
    services.classifier_train(csv_paths=[small_csv], folds=0)  # the champion has seen every row

    result = classifier_retrain_weekly(intended_for="2026-11-23T02:00:00+00:00")

    assert result.startswith("retrain for 2026-11-23")
    challenger = ClassifierModel.objects.get(kind="CATEGORY", version=2)
    comparison = challenger.metrics["comparison"]
    assert challenger.is_active is False
    assert comparison["challenger_macro_f1"] <= comparison["champion_macro_f1"]
    assert ClassifierModel.objects.get(kind="CATEGORY", is_active=True).version == 1


def test_the_weekly_retrain_replaces_a_worse_model(settings, tmp_path, rows, small_csv):
    settings.CLASSIFIER_TRAINING_FILES, settings.CLASSIFIER_CV_FOLDS = [small_csv], 2
    narrow = _write_csv(tmp_path / "narrow.csv", [r for r in rows if r["category"] in {"billing", "plumbing"}])
    services.classifier_train(csv_paths=[narrow], folds=0)  # knows two categories of eight

    classifier_retrain_weekly(intended_for="2026-11-30T02:00:00+00:00")

    active = ClassifierModel.objects.get(kind="CATEGORY", is_active=True)
    assert active.version == 2
    assert active.metrics["comparison"]["challenger_macro_f1"] > active.metrics["comparison"]["champion_macro_f1"]
    assert str(active.schedule_slot) == "2026-11-30"


def test_the_weekly_retrain_runs_once_per_slot(settings, small_csv):
    settings.CLASSIFIER_TRAINING_FILES, settings.CLASSIFIER_CV_FOLDS = [small_csv], 2
    slot = "2026-12-07T02:00:00+00:00"

    first = classifier_retrain_weekly(intended_for=slot)
    second = classifier_retrain_weekly(intended_for=slot)

    assert first.startswith("retrain for 2026-12-07: category: v1 activated")
    assert second == "retrain for 2026-12-07 already done or running"
    assert ClassifierModel.objects.count() == 2


def test_the_weekly_schedule_is_declared():
    from django_q.models import Schedule

    schedule = Schedule.objects.get(name="triage.classifier_retrain_weekly")
    assert (schedule.func, schedule.cron, schedule.intended_date_kwarg) == (
        "triage.tasks.classifier_retrain_weekly",
        "0 3 * * 1",
        "intended_for",
    )
