"""The text classifiers, in plain scikit-learn (no Django): build, cross-validate, fit, predict.

One pipeline serves both targets (category and priority): word uni+bigram TF-IDF plus
character 2–5-gram TF-IDF (within word boundaries, which copes with German compounds, typos and
mixed-language text), then a class-balanced logistic regression. The choice and the numbers
behind it are in docs/decisions.md; `python -m bench.classifier_f1` reproduces them."""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.base import clone
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, classification_report, f1_score
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import FeatureUnion, Pipeline

MAX_TEXT_CHARS = 3000  # the start of a ticket carries its topic; longer texts only cost time
Progress = Callable[[str], None]


def _quiet(message: str) -> None:
    pass


def normalise_text(text: str) -> str:
    """Lower-case, drop HTML line breaks, collapse whitespace, cut to MAX_TEXT_CHARS. Never raises."""
    text = re.sub(r"<br\s*/?>", " ", text or "", flags=re.IGNORECASE)
    return " ".join(text.split())[:MAX_TEXT_CHARS].lower()


def build_pipeline(*, c: float = 10.0) -> Pipeline:
    words = TfidfVectorizer(
        preprocessor=normalise_text,
        ngram_range=(1, 2),
        sublinear_tf=True,
        min_df=1,
        max_df=0.9,
        dtype=np.float32,
    )
    chars = TfidfVectorizer(
        preprocessor=normalise_text,
        analyzer="char_wb",
        ngram_range=(2, 5),
        sublinear_tf=True,
        min_df=2,
        max_df=0.9,
        dtype=np.float32,
    )
    classifier = LogisticRegression(C=c, class_weight="balanced", max_iter=3000)
    return Pipeline([("features", FeatureUnion([("words", words), ("chars", chars)])), ("classifier", classifier)])


def slim(pipeline: Pipeline) -> Pipeline:
    """Drop what prediction never needs (the pruned-terms sets can be larger than the model)."""
    for _, vectorizer in pipeline.named_steps["features"].transformer_list:
        if hasattr(vectorizer, "stop_words_"):
            vectorizer.stop_words_ = None
    return pipeline


@dataclass
class Scores:
    """Cross-validated (or held-out) quality of one target."""

    accuracy: float
    macro_f1: float
    per_class: dict[str, dict[str, float]]
    rows: int
    folds: int | None = None
    report: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "accuracy": round(self.accuracy, 4),
            "macro_f1": round(self.macro_f1, 4),
            "per_class": self.per_class,
            "rows": self.rows,
            "folds": self.folds,
        }


def score(y_true: Sequence[str], y_pred: Sequence[str], *, folds: int | None = None) -> Scores:
    labels = sorted(set(y_true))
    report = classification_report(y_true, y_pred, labels=labels, digits=3, zero_division=0)
    table = classification_report(y_true, y_pred, labels=labels, output_dict=True, zero_division=0)
    per_class = {
        label: {"precision": round(v["precision"], 4), "recall": round(v["recall"], 4), "f1": round(v["f1-score"], 4)}
        for label, v in table.items()
        if label in labels
    }
    return Scores(
        accuracy=float(accuracy_score(y_true, y_pred)),
        macro_f1=float(f1_score(y_true, y_pred, labels=labels, average="macro", zero_division=0)),
        per_class=per_class,
        rows=len(y_true),
        folds=folds,
        report=report,
    )


def usable_folds(labels: Sequence[str], wanted: int) -> int:
    """As many folds as the rarest class allows (at least 2), capped at `wanted`."""
    rarest = min(Counter(labels).values()) if labels else 0
    return max(0, min(wanted, rarest))


def cross_validate(
    texts: Sequence[str], labels: Sequence[str], *, folds: int = 5, progress: Progress = _quiet, seed: int = 42
) -> Scores | None:
    """Out-of-fold predictions with stratified k-fold; None when a class has fewer than 2 rows."""
    k = usable_folds(labels, folds)
    if k < 2:
        return None
    x, y = np.array(texts, dtype=object), np.array(labels, dtype=object)
    predicted = np.empty(len(y), dtype=object)
    splitter = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
    for i, (train, test) in enumerate(splitter.split(x, y), 1):
        started = time.monotonic()
        model = clone(build_pipeline()).fit(x[train], y[train])
        predicted[test] = model.predict(x[test])
        progress(f"  fold {i}/{k}: {len(train)} rows trained, {len(test)} scored ({time.monotonic() - started:.1f}s)")
    return score(list(y), list(predicted), folds=k)


def fit(texts: Sequence[str], labels: Sequence[str]) -> Pipeline:
    if len(set(labels)) < 2:
        raise ValueError("Training needs at least two different labels.")
    return slim(build_pipeline().fit(list(texts), list(labels)))


@dataclass(frozen=True)
class Prediction:
    label: str
    confidence: float
    top: list[tuple[str, float]] = field(default_factory=list)  # best first, at most 3


def predict_proba(pipeline: Pipeline, text: str) -> np.ndarray:
    """Class probabilities for one text. The same numbers as `pipeline.predict_proba([text])[0]`,
    computed directly (sparse features · coefficients, softmax): about a third faster per ticket,
    without scikit-learn's per-call validation and joblib dispatch."""
    union, classifier = pipeline.named_steps["features"], pipeline.named_steps["classifier"]
    features = sparse.hstack([step.transform([text]) for _, step in union.transformer_list], format="csr")
    scores = np.asarray(features @ classifier.coef_.T).ravel() + classifier.intercept_
    if scores.shape[0] == 1:  # two classes: a logistic, not a softmax
        positive = 1.0 / (1.0 + np.exp(-scores[0]))
        return np.array([1.0 - positive, positive])
    exp = np.exp(scores - scores.max())
    return exp / exp.sum()


def predict(pipeline: Pipeline, text: str) -> Prediction:
    probabilities = predict_proba(pipeline, text)
    classes = pipeline.classes_
    order = np.argsort(-probabilities)[:3]
    top = [(str(classes[i]), round(float(probabilities[i]), 4)) for i in order]
    return Prediction(label=top[0][0], confidence=top[0][1], top=top)
