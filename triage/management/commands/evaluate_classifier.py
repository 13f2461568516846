"""`manage.py evaluate_classifier --train A.csv --test B.csv`: train on A, print accuracy and macro-F1
on B for the category and (where the column exists) the priority. Without --test: k-fold
cross-validation on the training files. Saves nothing."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from triage import datasets, services


class Command(BaseCommand):
    help = "Evaluate the classifier pipeline: train on --train, score on --test (or cross-validate)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--train", action="append", required=True, metavar="PATH")
        parser.add_argument("--test", action="append", default=[], metavar="PATH")
        parser.add_argument("--folds", type=int, default=5, help="cross-validation folds when there is no --test")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            evaluations = services.classifier_evaluate(
                train_paths=options["train"],
                test_paths=options["test"],
                folds=options["folds"],
                progress=self.progress,
            )
        except datasets.DatasetError as exc:
            raise CommandError(str(exc)) from exc
        how = "held-out" if options["test"] else f"{options['folds']}-fold CV"
        self.stdout.write(f"\n{'target':<10} {'rows':>6} {'accuracy':>9} {'macro-F1':>9}  ({how})")
        for evaluation in evaluations:
            if evaluation.scores is None:
                self.stdout.write(f"{evaluation.kind:<10} {evaluation.train_rows:>6}  —  {evaluation.note}")
                continue
            s = evaluation.scores
            self.stdout.write(f"{evaluation.kind:<10} {s.rows:>6} {s.accuracy:>9.3f} {s.macro_f1:>9.3f}")
        for evaluation in evaluations:
            if evaluation.scores is not None:
                self.stdout.write(f"\n{evaluation.kind} per class:\n{evaluation.scores.report}")

    def progress(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()
