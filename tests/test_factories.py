"""Every factory builds a valid row on real PostgreSQL (constraints included)."""

import inspect

import pytest
from factory.django import DjangoModelFactory

from tests import factories
from tests.project import project_app_labels

pytestmark = pytest.mark.django_db

ALL_FACTORIES = [
    f
    for _, f in inspect.getmembers(factories, inspect.isclass)
    if issubclass(f, DjangoModelFactory) and f is not DjangoModelFactory and f.__module__ == factories.__name__
]


@pytest.mark.parametrize("factory_class", ALL_FACTORIES, ids=lambda f: f.__name__)
def test_factory_creates_a_valid_row(factory_class):
    obj = factory_class.create()

    assert obj.pk is not None
    obj.full_clean()  # the row also passes model validation, constraints included


def test_every_model_has_a_factory():
    from django.apps import apps

    project_apps = project_app_labels()
    models = {m for m in apps.get_models() if m._meta.app_label in project_apps and not m._meta.auto_created}
    covered = {f._meta.model for f in ALL_FACTORIES}

    assert models - covered == set()
