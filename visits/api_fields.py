"""Named enums for the marketplace's status fields in the OpenAPI schema (several models have a
`status` with different choices; without a name each, drf-spectacular warns about a collision)."""

from functools import cache
from typing import Any

from django.db.models import TextChoices
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


@cache
def _field_class(choices: type[TextChoices], component_name: str) -> type[serializers.ChoiceField]:
    """One class per enum: the schema sees one component, however many serializers use it."""

    @extend_schema_field({"type": "string", "enum": list(choices.values)}, component_name=component_name)
    class NamedChoiceField(serializers.ChoiceField):
        pass

    return NamedChoiceField


def enum_field(choices: type[TextChoices], component_name: str, **kwargs: Any) -> serializers.ChoiceField:
    return _field_class(choices, component_name)(choices=choices.choices, **kwargs)
