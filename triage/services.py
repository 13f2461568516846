"""Training, evaluating and activating the category and priority models (the only writers of
ClassifierModel rows). The management commands, the weekly retrain task and `make run` call these."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import sklearn
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from sklearn.model_selection import train_test_split

from triage import datasets, ml, registry
from triage.models import ClassifierModel

Progress = Callable[[str], None]
KINDS = {ClassifierModel.Kind.CATEGORY: "category", ClassifierModel.Kind.PRIORITY: "priority"}
MIN_PRIORITY_ROWS = 20
_VERSION_LOCK = 7_300_001  # pg advisory lock key: version numbers are handed out one at a time
RETRAIN_LOCK = 7_300_002  # pg advisory lock key: one weekly retrain at a time, across clusters


def _quiet(message: str) -> None:
    pass


def default_training_files() -> list[Path]:
    return [Path(p) for p in settings.CLASSIFIER_TRAINING_FILES]


@dataclass
class TargetResult:
    kind: str
    rows: int
    cv: ml.Scores | None = None
    model: ClassifierModel | None = None
    skipped: str = ""
    comparison: dict[str, Any] = field(default_factory=dict)


@dataclass
class TrainingResult:
    targets: dict[str, TargetResult] = field(default_factory=dict)
    rows: int = 0
    seconds: float = 0.0


@transaction.atomic
def classifier_activate(*, model: ClassifierModel) -> ClassifierModel:
    """Make `model` the active one of its kind (web processes pick it up on their next ticket)."""
    locked = ClassifierModel.objects.select_for_update().get(pk=model.pk)
    ClassifierModel.objects.filter(kind=locked.kind, is_active=True).exclude(pk=locked.pk).update(is_active=False)
    if not locked.is_active:
        locked.is_active = True
        locked.save(update_fields=["is_active"])
    return locked


@transaction.atomic
def _store(
    *,
    kind: str,
    pipeline: Any,
    metrics: dict[str, Any],
    rows: int,
    sources: list[str],
    activate: bool,
    schedule_slot: date | None,
) -> ClassifierModel:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_VERSION_LOCK])
    version = (ClassifierModel.objects.filter(kind=kind).aggregate(v=Max("version"))["v"] or 0) + 1
    labels = [str(label) for label in pipeline.classes_]
    metadata = {"labels": labels, "sklearn": sklearn.__version__, "trained_at": timezone.now().isoformat()}
    path = registry.save(pipeline, kind=kind, version=version, metadata=metadata)
    model = ClassifierModel.objects.create(
        kind=kind,
        version=version,
        file_path=path,
        metrics=metrics,
        labels=labels,
        training_rows=rows,
        training_sources=sources,
        schedule_slot=schedule_slot,
    )
    return classifier_activate(model=model) if activate else model


def _champion_comparison(
    kind: str, texts: list[str], labels: list[str], *, seed: int, progress: Progress
) -> dict[str, Any] | None:
    """Score the active model and a challenger trained on 80 % of the rows on the same 20 %.
    None when there is no usable active model (the challenger then wins by default)."""
    active = registry.active_rows().get(kind)
    if active is None:
        return None
    try:
        champion = registry.load(active).pipeline
    except registry.ModelUnavailable:
        return None
    stratify = labels if ml.usable_folds(labels, 2) >= 2 else None
    x, y = np.array(texts, dtype=object), np.array(labels, dtype=object)
    x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.2, random_state=seed, stratify=stratify)
    challenger = ml.fit(list(x_train), list(y_train))
    champion_scores = ml.score(list(y_test), list(champion.predict(x_test)))
    challenger_scores = ml.score(list(y_test), list(challenger.predict(x_test)))
    progress(
        f"  champion v{active.version} macro-F1 {champion_scores.macro_f1:.3f} vs challenger "
        f"{challenger_scores.macro_f1:.3f} on the same {len(y_test)} held-out rows"
    )
    return {
        "champion_version": active.version,
        "champion_macro_f1": round(champion_scores.macro_f1, 4),
        "challenger_macro_f1": round(challenger_scores.macro_f1, 4),
        "holdout_rows": len(y_test),
    }


def classifier_train(
    *,
    csv_paths: Sequence[Path | str],
    from_db: bool = False,
    folds: int = 5,
    activate: str = "always",
    schedule_slot: date | None = None,
    progress: Progress = _quiet,
) -> TrainingResult:
    """Train the category model (and the priority model where the data has priorities): cross-
    validate, fit on all rows, save a versioned file and its row. `activate`: "always", "never",
    or "if_better" (only when it beats the active model on the same held-out rows)."""
    started = time.monotonic()
    examples = datasets.load_all(csv_paths, from_db=from_db)
    sources = [str(p) for p in csv_paths] + (["database"] if from_db else [])
    progress(f"Loaded {len(examples)} labelled rows from {', '.join(sources) or 'nothing'}.")
    result = TrainingResult(rows=len(examples))
    for kind, attribute in KINDS.items():
        texts, labels = datasets.target(examples, attribute)
        target = result.targets[kind] = TargetResult(kind=kind, rows=len(texts))
        distinct = sorted(set(labels))
        if len(distinct) < 2 or (kind == ClassifierModel.Kind.PRIORITY and len(texts) < MIN_PRIORITY_ROWS):
            target.skipped = f"{len(texts)} rows with {len(distinct)} distinct {attribute} labels: not enough to train"
            progress(f"{attribute.title()}: skipped ({target.skipped}).")
            continue
        if folds >= 2:
            progress(f"{attribute.title()}: {len(texts)} rows, {len(distinct)} labels; {folds}-fold cross-validation…")
            target.cv = ml.cross_validate(texts, labels, folds=folds, progress=progress)
        else:
            progress(f"{attribute.title()}: {len(texts)} rows, {len(distinct)} labels (no cross-validation).")
        if target.cv:
            progress(f"  cross-validated accuracy {target.cv.accuracy:.3f}, macro-F1 {target.cv.macro_f1:.3f}")
            progress(target.cv.report)
        wins = activate == "always"
        if activate == "if_better":
            seed = schedule_slot.toordinal() if schedule_slot else 42
            target.comparison = _champion_comparison(kind, texts, labels, seed=seed, progress=progress) or {}
            wins = not target.comparison or (
                target.comparison["challenger_macro_f1"] > target.comparison["champion_macro_f1"]
            )
        progress(f"  fitting on all {len(texts)} rows…")
        pipeline = ml.fit(texts, labels)
        metrics = {"cv": target.cv.as_dict() if target.cv else None, "comparison": target.comparison or None}
        target.model = _store(
            kind=kind,
            pipeline=pipeline,
            metrics=metrics,
            rows=len(texts),
            sources=sources,
            activate=wins,
            schedule_slot=schedule_slot,
        )
        state = "active" if target.model.is_active else "kept the current model active"
        progress(f"  saved {target.model.file_path} (v{target.model.version}, {state})")
    result.seconds = time.monotonic() - started
    return result


@dataclass
class Evaluation:
    kind: str
    train_rows: int
    scores: ml.Scores | None
    note: str = ""


def classifier_evaluate(
    *,
    train_paths: Sequence[Path | str],
    test_paths: Sequence[Path | str] = (),
    folds: int = 5,
    progress: Progress = _quiet,
) -> list[Evaluation]:
    """Train on `train_paths` and score on `test_paths`; without test files, k-fold cross-validate.
    Nothing is saved."""
    train = datasets.load_all(train_paths, from_db=False)
    test = datasets.load_all(test_paths, from_db=False) if test_paths else []
    evaluations = []
    for attribute in KINDS.values():
        x_train, y_train = datasets.target(train, attribute)
        if len(set(y_train)) < 2:
            evaluations.append(Evaluation(attribute, len(x_train), None, "no labels in the training data"))
            continue
        if test_paths:
            x_test, y_test = datasets.target(test, attribute)
            if not y_test:
                evaluations.append(Evaluation(attribute, len(x_train), None, "no labels in the test data"))
                continue
            progress(f"{attribute.title()}: training on {len(x_train)} rows, scoring {len(x_test)}…")
            scores = ml.score(y_test, list(ml.fit(x_train, y_train).predict(x_test)))
        else:
            progress(f"{attribute.title()}: {folds}-fold cross-validation on {len(x_train)} rows…")
            scores = ml.cross_validate(x_train, y_train, folds=folds, progress=progress)
        evaluations.append(Evaluation(attribute, len(x_train), scores))
    return evaluations


def classifier_retrain_for_slot(*, slot: date, progress: Progress = _quiet) -> TrainingResult | None:
    """The weekly retrain: shipped data + agent labels; the new model replaces the active one only
    if it scores better. Idempotent per slot; a second cluster running at once does nothing."""
    if ClassifierModel.objects.filter(schedule_slot=slot).exists():
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [RETRAIN_LOCK])
        if not cursor.fetchone()[0]:
            return None
        try:
            if ClassifierModel.objects.filter(schedule_slot=slot).exists():
                return None
            return classifier_train(
                csv_paths=default_training_files(),
                from_db=True,
                folds=settings.CLASSIFIER_CV_FOLDS,
                activate="if_better",
                schedule_slot=slot,
                progress=progress,
            )
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [RETRAIN_LOCK])
