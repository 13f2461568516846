"""Forms of the knowledge-base pages. They parse input; the services own the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kb.selectors import MAX_QUERY_CHARS


def _clip(value: str | None) -> str:
    return " ".join((value or "").split())[:MAX_QUERY_CHARS]


class SearchForm(forms.Form):
    """?q= for the search page and the live suggestions; never invalid (long text is cut)."""

    q = forms.CharField(label=_("Search the help center"), required=False, strip=True)

    def clean_q(self) -> str:
        return _clip(self.cleaned_data.get("q"))


class DeflectForm(forms.Form):
    """“This solved my problem”: carries the search text the visitor came with."""

    q = forms.CharField(required=False)

    def clean_q(self) -> str:
        return _clip(self.cleaned_data.get("q"))


class FeedbackForm(forms.Form):
    helpful = forms.TypedChoiceField(choices=[("yes", _("Yes")), ("no", _("No"))], coerce=lambda value: value == "yes")


class ArticleChoiceForm(forms.Form):
    """An article picked by id (self-service on a ticket, an agent's link)."""

    article = forms.IntegerField(min_value=1)
