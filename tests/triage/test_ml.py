"""The scikit-learn pipeline and the training files (no database except for agent labels)."""

from pathlib import Path

import pytest

from triage import datasets, ml


def test_normalise_text_lowercases_drops_html_breaks_and_cuts():
    assert ml.normalise_text("  Hello<br/>World\n\tAGAIN ") == "hello world again"
    assert len(ml.normalise_text("x " * 10_000)) == ml.MAX_TEXT_CHARS
    assert ml.normalise_text(None) == ""  # type: ignore[arg-type]  # defensive: never raises


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("APPLIANCE_REPAIR", "appliance-repair"), (" Billing ", "billing"), ("Heating", "heating"), ("", None)],
)
def test_category_labels_become_slugs(raw, expected):
    assert datasets.normalise_category(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("high", "HIGH"), ("Medium", "MEDIUM"), ("critical", "URGENT"), ("urgent", "URGENT"), ("whenever", None)],
)
def test_priority_labels_become_product_priorities(raw, expected):
    assert datasets.normalise_priority(raw) == expected


def test_ticket_text_joins_subject_and_description():
    assert datasets.ticket_text("Leak", "Under the sink") == "Leak. Under the sink"
    assert datasets.ticket_text("", "Only body") == "Only body"


def test_load_csv_skips_rows_without_text_or_labels(tmp_path: Path):
    path = tmp_path / "d.csv"
    path.write_text("text,category,priority\nLeak,PLUMBING,high\n,billing,low\nNo label,,\n", encoding="utf-8")

    examples = datasets.load_csv(path)

    assert [(e.text, e.category, e.priority, e.source) for e in examples] == [("Leak", "plumbing", "HIGH", "d.csv")]


def test_usable_folds_follow_the_rarest_class():
    assert ml.usable_folds(["a"] * 10 + ["b"] * 3, 5) == 3
    assert ml.usable_folds(["a", "b"], 5) == 1
    assert ml.usable_folds([], 5) == 0


def test_cross_validation_needs_two_rows_per_class():
    assert ml.cross_validate(["x", "y", "z"], ["a", "a", "b"], folds=5) is None


def test_fit_refuses_a_single_label():
    with pytest.raises(ValueError):
        ml.fit(["a", "b"], ["x", "x"])


def test_predict_returns_the_best_three_with_probabilities():
    texts = ["pipe leaks", "tap drips", "invoice wrong", "charged twice", "boiler cold", "no hot water"] * 3
    labels = ["plumbing", "plumbing", "billing", "billing", "heating", "heating"] * 3
    pipeline = ml.fit(texts, labels)

    prediction = ml.predict(pipeline, "the kitchen tap drips and the pipe leaks")

    assert prediction.label == "plumbing"
    assert prediction.top[0][0] == "plumbing" and len(prediction.top) == 3
    assert prediction.confidence == prediction.top[0][1]
    assert abs(sum(score for _, score in prediction.top) - 1) < 0.01
    assert ml.predict(pipeline, "").label in {"plumbing", "billing", "heating"}  # never raises


def test_the_fitted_pipeline_drops_what_prediction_does_not_need():
    pipeline = ml.fit(["pipe leaks", "invoice wrong", "pipe drips", "invoice twice"], ["x", "y", "x", "y"])

    for _, vectorizer in pipeline.named_steps["features"].transformer_list:
        assert getattr(vectorizer, "stop_words_", None) is None  # (scikit-learn 1.9 no longer keeps it)


@pytest.mark.parametrize("n_labels", [2, 4])
def test_the_fast_probabilities_equal_scikit_learns(n_labels):
    texts = ["pipe leaks", "invoice wrong", "boiler cold", "login fails"] * 4
    labels = (["a", "b", "c", "d"] * 4) if n_labels == 4 else (["a", "b"] * 8)
    pipeline = ml.fit(texts, labels)

    for text in ["the pipe leaks again", "", "boiler and invoice"]:
        assert ml.predict_proba(pipeline, text) == pytest.approx(pipeline.predict_proba([text])[0], abs=1e-6)
