"""`{% classifier_problems as problems %}`: what the admin index warns about (missing or corrupt
model file, no active model)."""

from django import template

from triage import registry

register = template.Library()


@register.simple_tag
def classifier_problems() -> list[str]:
    return registry.problems()
