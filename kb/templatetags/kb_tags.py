"""Template helpers of the knowledge base."""

from django import template
from django.forms import BoundField

register = template.Library()


@register.filter
def kb_live_suggestions(field: BoundField, url: str) -> BoundField:
    """Make a text field ask `url` for matching articles as the customer types (HTMX, debounced,
    latest request wins) and show them in #kb-suggestions. Changes only this form's copy of the
    widget (Django deep-copies fields per form instance)."""
    field.field.widget.attrs.update(
        {
            "hx-get": url,
            "hx-trigger": "input changed delay:300ms, load",
            "hx-target": "#kb-suggestions",
            "hx-swap": "innerHTML",
            "hx-sync": "this:replace",
            "autocomplete": "off",
            "aria-controls": "kb-suggestions",
        }
    )
    return field
