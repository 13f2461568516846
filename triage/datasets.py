"""Training examples: CSV files (columns `text,category[,priority]`) and the tickets whose category
an agent set or confirmed. Labels are normalised to the product's values: category slugs
(`APPLIANCE_REPAIR` → `appliance-repair`) and priorities (`high` → `HIGH`, `critical` → `URGENT`)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.utils.text import slugify

from tickets.models import Priority, Ticket

PRIORITY_ALIASES = {"CRITICAL": Priority.URGENT, "NORMAL": Priority.MEDIUM}


class DatasetError(Exception):
    """A training file cannot be used (missing, unreadable, wrong columns)."""


@dataclass(frozen=True)
class Example:
    text: str
    category: str | None
    priority: str | None
    source: str


def ticket_text(subject: str, description: str) -> str:
    """The text a classifier sees for a ticket: "subject. description", as in the training files."""
    subject, description = (subject or "").strip(), (description or "").strip()
    return f"{subject}. {description}" if subject and description else subject or description


def normalise_category(value: str | None) -> str | None:
    slug = slugify((value or "").strip().replace("_", "-"))
    return slug or None


def normalise_priority(value: str | None) -> str | None:
    key = (value or "").strip().upper()
    key = PRIORITY_ALIASES.get(key, key)
    return key if key in Priority.values else None


def load_csv(path: Path | str) -> list[Example]:
    path = Path(path)
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            columns = set(reader.fieldnames or ())
            if not {"text", "category"} <= columns:
                raise DatasetError(f"{path}: needs the columns text,category[,priority]; found {sorted(columns)}.")
            has_priority = "priority" in columns
            examples = [
                Example(
                    text=(row.get("text") or "").strip(),
                    category=normalise_category(row.get("category")),
                    priority=normalise_priority(row.get("priority")) if has_priority else None,
                    source=path.name,
                )
                for row in reader
            ]
    except FileNotFoundError as exc:
        raise DatasetError(f"{path}: no such file.") from exc
    except (UnicodeDecodeError, csv.Error) as exc:
        raise DatasetError(f"{path}: not a UTF-8 CSV file ({exc}).") from exc
    return [e for e in examples if e.text and (e.category or e.priority)]


def load_agent_labels() -> list[Example]:
    """Every ticket whose category an agent set or confirmed (and its priority, where an agent set it)."""
    rows = (
        Ticket.objects.filter(category_source=Ticket.CategorySource.AGENT, category__isnull=False)
        .values_list("subject", "description", "category__slug", "priority", "priority_source")
        .order_by("pk")
    )
    return [
        Example(
            text=ticket_text(subject, description),
            category=slug,
            priority=priority if priority_source == Ticket.PrioritySource.AGENT else None,
            source="database",
        )
        for subject, description, slug, priority, priority_source in rows.iterator(chunk_size=2000)
    ]


def load_all(paths: Sequence[Path | str], *, from_db: bool) -> list[Example]:
    examples: list[Example] = []
    for path in paths:
        examples.extend(load_csv(path))
    if from_db:
        examples.extend(load_agent_labels())
    return examples


def target(examples: Iterable[Example], kind: str) -> tuple[list[str], list[str]]:
    """(texts, labels) of the examples that carry a label for `kind` ("category" or "priority")."""
    pairs = [(e.text, getattr(e, kind)) for e in examples if getattr(e, kind)]
    return [t for t, _ in pairs], [label for _, label in pairs]
