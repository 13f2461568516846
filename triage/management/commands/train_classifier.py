"""`manage.py train_classifier --csv PATH [--csv PATH2] [--from-db]`: cross-validate, fit, save a
versioned model file and its row (active unless --no-activate). Without --csv and --from-db it
trains on the shipped data (settings.CLASSIFIER_TRAINING_FILES)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from triage import datasets, services


class Command(BaseCommand):
    help = "Train the category and priority models from CSV files and/or agent-labelled tickets."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--csv", action="append", default=[], metavar="PATH", help="columns text,category[,priority]"
        )
        parser.add_argument("--from-db", action="store_true", help="add tickets whose category an agent set")
        parser.add_argument("--folds", type=int, default=5, help="cross-validation folds (default 5)")
        parser.add_argument("--no-activate", action="store_true", help="save the model without activating it")
        parser.add_argument(
            "--if-missing", action="store_true", help="do nothing when an active category model exists (make run)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from triage.registry import active_rows

        if options["if_missing"] and "CATEGORY" in active_rows():
            self.stdout.write("An active category model exists; nothing to train.")
            return
        paths = options["csv"] or ([] if options["from_db"] else services.default_training_files())
        try:
            result = services.classifier_train(
                csv_paths=paths,
                from_db=options["from_db"],
                folds=options["folds"],
                activate="never" if options["no_activate"] else "always",
                progress=self.progress,
            )
        except (datasets.DatasetError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        if not any(t.model for t in result.targets.values()):
            raise CommandError("Nothing was trained: the data has no usable category or priority labels.")
        self.stdout.write(self.style.SUCCESS(f"Done in {result.seconds:.1f}s."))

    def progress(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()
