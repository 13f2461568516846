"""Admin building blocks shared by the project's apps."""

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Field, Model
from django.http import HttpRequest
from django.utils.text import capfirst


class ViewOnlyAdminMixin:
    """Rows written only by services (audit trails, conversation, feedback…): the admin may look,
    never add or edit. Deleting stays as the ModelAdmin decides."""

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class AppendOnlyAdminMixin(ViewOnlyAdminMixin):
    """View only, and never deleted either: the rows are the audit and metrics record."""

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    """An inline that shows rows and nothing else (no add, edit or delete)."""

    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


BLANK_CHOICE = [("", "---------")]


class ChoiceFieldsAdmin(admin.ModelAdmin):
    """Offers a select for plain CharFields that must stay blank-able on the model
    (e.g. "any priority"): `choice_fields = {"priority": [...]}`."""

    choice_fields: dict[str, list[tuple[str, str]]] = {}

    def formfield_for_dbfield(self, db_field: Field, request: HttpRequest, **kwargs: Any) -> forms.Field | None:
        choices = self.choice_fields.get(db_field.name)
        if choices is None:
            return super().formfield_for_dbfield(db_field, request, **kwargs)
        return forms.ChoiceField(
            choices=BLANK_CHOICE + choices,
            required=not db_field.blank,
            label=capfirst(db_field.verbose_name),
            help_text=db_field.help_text,
        )
