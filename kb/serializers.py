"""Serializers of the knowledge-base API: parse the search parameters, shape the ranked results."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from kb.models import Article
from kb.selectors import MAX_QUERY_CHARS

MAX_API_RESULTS = 10


class ArticleSearchInputSerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        trim_whitespace=True,
        help_text=_("What to search for, in English or German. Longer text is cut at %(n)d characters.")
        % {"n": MAX_QUERY_CHARS},
    )
    limit = serializers.IntegerField(required=False, default=MAX_API_RESULTS, min_value=1, max_value=MAX_API_RESULTS)
    language = serializers.ChoiceField(
        choices=Article.Language.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Only articles in this language (default: all)."),
    )

    def validate_q(self, value: str) -> str:
        return value[:MAX_QUERY_CHARS]


class ArticleSearchResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.SlugField()
    title = serializers.CharField()
    summary = serializers.CharField()
    language = serializers.CharField()
    category = serializers.CharField(source="category.name", allow_null=True, default=None)
    tags = serializers.ListField(child=serializers.CharField())
    url = serializers.SerializerMethodField(help_text=_("The public article page."))
    score = serializers.FloatField(help_text=_("Relevance; higher is better. Only comparable within one answer."))

    def get_url(self, article: Article) -> str:
        return self.context["request"].build_absolute_uri(self.context["url_for"](article))


class ArticleSearchOutputSerializer(serializers.Serializer):
    query = serializers.CharField(help_text=_("The query as searched (trimmed and cut)."))
    count = serializers.IntegerField()
    results = ArticleSearchResultSerializer(many=True)
