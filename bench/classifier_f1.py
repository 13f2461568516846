"""Category and priority macro-F1 of the classifier pipeline (5-fold cross-validation), the same
code path as `manage.py evaluate_classifier --train PATH --folds 5`:

    python -m bench.classifier_f1 [PATH_TO_customer_support_tickets/train.csv] [--folds 5] [--no-shipped]

* `customer_support_tickets/train.csv` (CC BY-NC, never copied into this repository; by default read
  from ../shared/data/tickets/ beside the checkout) — targets (issue 3): category macro-F1 ≥ 0.65,
  priority macro-F1 ≥ 0.50. When the file is absent the row says so and the bench does not fail.
* the shipped training corpus (data/training/: Bitext + the home-service examples) that the
  default model is trained on — templated text, so its scores are an upper bound.

Needs no database. The table is printed and appended to docs/benchmarks.md."""

import argparse
import time
from datetime import datetime
from pathlib import Path

from bench import _env

DEFAULT_PATH = _env.ROOT.parent / "shared" / "data" / "tickets" / "customer_support_tickets" / "train.csv"
TARGETS = {"category": 0.65, "priority": 0.50}


def evaluate(label: str, paths: list[Path], folds: int) -> list[str]:
    from triage.services import classifier_evaluate

    started = time.perf_counter()
    print(f"\n{label}: {folds}-fold cross-validation…", flush=True)
    evaluations = classifier_evaluate(train_paths=paths, folds=folds, progress=lambda line: print(line, flush=True))
    seconds = time.perf_counter() - started
    rows = []
    for evaluation in evaluations:
        if evaluation.scores is None:
            rows.append(f"| {label} | {evaluation.kind} | — | — | — | {evaluation.note} |")
            continue
        s = evaluation.scores
        target = TARGETS.get(evaluation.kind) if "customer_support" in label else None
        verdict = "—" if target is None else f"≥ {target:.2f}: {'met' if s.macro_f1 >= target else 'NOT met'}"
        weakest = min(s.per_class.items(), key=lambda item: item[1]["f1"])
        rows.append(
            f"| {label} | {evaluation.kind} | {s.rows} | {s.accuracy:.3f} | **{s.macro_f1:.3f}** | {verdict}; "
            f"weakest class {weakest[0]} F1 {weakest[1]['f1']:.2f} |"
        )
    print(f"  ({seconds:.0f} s)", flush=True)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", nargs="?", default=str(DEFAULT_PATH), help="customer_support_tickets/train.csv")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--no-shipped", action="store_true", help="skip the shipped corpus")
    parser.add_argument("--no-record", action="store_true", help="print only; do not append to docs/benchmarks.md")
    args = parser.parse_args()
    _env.setup_django()
    from django.conf import settings

    path = Path(args.path)
    rows = []
    if path.is_file():
        rows += evaluate("`customer_support_tickets/train.csv`", [path], args.folds)
    else:
        print(f"\n{path} is absent: the customer_support_tickets evaluation is skipped.", flush=True)
        rows.append(f"| `customer_support_tickets/train.csv` | — | — | — | — | absent at {path}: not measured |")
    if not args.no_shipped:
        rows += evaluate("shipped corpus (data/training/)", list(settings.CLASSIFIER_TRAINING_FILES), args.folds)
    lines = [
        f"### Classifier macro-F1 ({args.folds}-fold cross-validation) — {datetime.now():%Y-%m-%d %H:%M}",
        "",
        f"Machine: {_env.machine()}.  ",
        f"Versions: {_env.versions(database=False)}.  ",
        "Pipeline (triage/ml.py): word 1–2-gram + char_wb 2–5-gram TF-IDF, class-balanced logistic regression "
        "(C=10); stratified folds, seed 42; `evaluate_classifier --train PATH --folds 5` runs the same code.",
        "",
        "| data | target | rows | accuracy | macro-F1 | target / note |",
        "|---|---|---:|---:|---:|---|",
        *rows,
        "",
    ]
    _env.record("\n".join(lines), enabled=not args.no_record)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
