"""Model files on disk and the web process's in-memory copy of the active models.

A process loads each active model once and keeps it, keyed by (kind, version, file): a request
costs one small query to learn which versions are active, never a load. A model file that is
missing or cannot be loaded makes `load` raise ModelUnavailable (logged once per file and retried
at most every RETRY_SECONDS), so intake can go on without it.

Model files are pickles: load only files this application wrote into its own MODEL_DIR."""

from __future__ import annotations

import logging
import os
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import joblib
from django.conf import settings
from django.utils.translation import gettext as _
from sklearn.pipeline import Pipeline

from triage.models import ClassifierModel

if TYPE_CHECKING:
    from triage.config import ModelRef

logger = logging.getLogger(__name__)
RETRY_SECONDS = 60.0
FORMAT = 1  # bump when the bundle layout changes


class ModelUnavailable(Exception):
    """The active model's file is missing or cannot be loaded."""


@dataclass(frozen=True)
class LoadedModel:
    kind: str
    version: int
    pipeline: Pipeline


_lock = threading.Lock()
_loaded: dict[tuple[str, int, str], LoadedModel] = {}
_failed: dict[tuple[str, int, str], tuple[float, str]] = {}  # key -> (when, why)


def model_dir() -> Path:
    return Path(settings.MODEL_DIR)


def file_name(kind: str, version: int) -> str:
    return f"{kind.lower()}-v{version}.joblib"


def save(pipeline: Pipeline, *, kind: str, version: int, metadata: dict[str, Any]) -> str:
    """Write the model file atomically (temp file + rename); returns its path relative to MODEL_DIR."""
    directory = model_dir()
    directory.mkdir(parents=True, exist_ok=True)
    name = file_name(kind, version)
    bundle = {"format": FORMAT, "kind": kind, "version": version, "pipeline": pipeline, **metadata}
    with tempfile.NamedTemporaryFile(dir=directory, prefix=f".{name}.", delete=False) as handle:
        joblib.dump(bundle, handle, compress=3)
        temp = handle.name
    os.replace(temp, directory / name)
    return name


def _read(row: ClassifierModel | ModelRef) -> Pipeline:
    path = model_dir() / row.file_path
    if not path.is_file():
        raise ModelUnavailable(f"model file {path} is missing")
    try:
        bundle = joblib.load(path)
        pipeline = bundle["pipeline"]
        if bundle.get("format") != FORMAT or not hasattr(pipeline, "predict_proba"):
            raise ValueError("not a model bundle of this application")
    except Exception as exc:  # a corrupt or foreign file must never take intake down
        raise ModelUnavailable(f"model file {path} cannot be loaded: {exc.__class__.__name__}: {exc}") from exc
    return pipeline


def load(row: ClassifierModel | ModelRef) -> LoadedModel:
    key = (row.kind, row.version, row.file_path)
    loaded = _loaded.get(key)
    if loaded is not None:
        return loaded
    with _lock:
        if key in _loaded:
            return _loaded[key]
        failed = _failed.get(key)
        if failed and time.monotonic() - failed[0] < RETRY_SECONDS:
            raise ModelUnavailable(failed[1])
        try:
            pipeline = _read(row)
        except ModelUnavailable as exc:
            if not failed:
                logger.error("Classifier %s v%s unavailable: %s", row.kind, row.version, exc)
            _failed[key] = (time.monotonic(), str(exc))
            raise
        for old in [k for k in _loaded if k[0] == row.kind]:  # keep one version per kind in memory
            del _loaded[old]
        _failed.pop(key, None)
        _loaded[key] = LoadedModel(kind=row.kind, version=row.version, pipeline=pipeline)
        logger.info("Loaded classifier %s v%s from %s", row.kind, row.version, row.file_path)
        return _loaded[key]


def active_rows() -> dict[str, ClassifierModel]:
    """The active model row of each kind (one query)."""
    rows = ClassifierModel.objects.filter(is_active=True).only("id", "kind", "version", "file_path")
    return {row.kind: row for row in rows}


def clear() -> None:
    """Forget loaded models and failures (tests; a process that wants to re-read files)."""
    with _lock:
        _loaded.clear()
        _failed.clear()


def problems() -> list[str]:
    """What an admin should know: no active category model, or an active model that cannot be loaded."""
    rows = active_rows()
    found = []
    if ClassifierModel.Kind.CATEGORY not in rows:
        found.append(_("No active category model: new tickets stay unclassified. Run `manage.py train_classifier`."))
    for row in rows.values():
        try:
            load(row)
        except ModelUnavailable as exc:
            found.append(
                _(
                    "The active %(kind)s model (v%(version)s) is unavailable: %(error)s. New tickets are created "
                    "unclassified and flagged; retrain or activate another version."
                )
                % {"kind": str(row.get_kind_display()).lower(), "version": row.version, "error": exc}
            )
    return found
