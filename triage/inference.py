"""Run the active models on a new ticket's text. Never raises: a missing, corrupt or failing model
is reported as `unavailable`, and intake goes on without it."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from triage import ml, registry
from triage.config import ModelRef
from triage.models import ClassifierModel

logger = logging.getLogger(__name__)


class Outcome:
    CLASSIFIED = "classified"
    BELOW_THRESHOLD = "below_threshold"
    UNAVAILABLE = "unavailable"
    NOT_CONFIGURED = "not_configured"


@dataclass(frozen=True)
class ModelResult:
    outcome: str
    prediction: ml.Prediction | None = None
    version: int | None = None
    error: str = ""

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"outcome": self.outcome, "version": self.version}
        if self.prediction is not None:
            top = [[label, score] for label, score in self.prediction.top]  # as JSON stores it
            data.update(label=self.prediction.label, confidence=self.prediction.confidence, top=top)
        if self.error:
            data["error"] = self.error[:300]
        return data


@dataclass(frozen=True)
class Classification:
    category: ModelResult
    priority: ModelResult
    threshold: float = field(default=0.0)


def _run(row: ClassifierModel | ModelRef | None, text: str) -> ModelResult:
    if row is None:
        return ModelResult(Outcome.NOT_CONFIGURED)
    try:
        loaded = registry.load(row)
        prediction = ml.predict(loaded.pipeline, text)
    except registry.ModelUnavailable as exc:
        return ModelResult(Outcome.UNAVAILABLE, version=row.version, error=str(exc))
    except Exception as exc:  # a model that loads but cannot predict must not block intake either
        logger.exception("Classifier %s v%s failed to predict", row.kind, row.version)
        return ModelResult(Outcome.UNAVAILABLE, version=row.version, error=f"{exc.__class__.__name__}: {exc}")
    return ModelResult(Outcome.CLASSIFIED, prediction=prediction, version=row.version)


def classify(text: str, *, models: Mapping[str, ClassifierModel | ModelRef] | None = None) -> Classification:
    """Category (with the confidence threshold applied) and predicted severity of `text`, with the
    given active model rows (by kind), or the active ones read now."""
    rows = registry.active_rows() if models is None else models
    threshold = settings.CLASSIFIER_MIN_CONFIDENCE
    category = _run(rows.get(ClassifierModel.Kind.CATEGORY), text)
    if category.prediction is not None and category.prediction.confidence < threshold:
        category = ModelResult(Outcome.BELOW_THRESHOLD, prediction=category.prediction, version=category.version)
    priority = _run(rows.get(ClassifierModel.Kind.PRIORITY), text)
    return Classification(category=category, priority=priority, threshold=threshold)
