"""What counts as the project's own code, derived rather than listed, so a new app is covered
by the every-model tests (factories, admin) the moment it is installed."""

from pathlib import Path

from django.apps import apps
from django.conf import settings


def project_app_labels() -> set[str]:
    root = Path(settings.BASE_DIR).resolve()
    venv = root / ".venv"
    return {
        config.label
        for config in apps.get_app_configs()
        if Path(config.path).resolve().is_relative_to(root) and not Path(config.path).resolve().is_relative_to(venv)
    }
