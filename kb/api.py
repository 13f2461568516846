"""Knowledge-base API: the public article search, with the same ranking as the help center and
the live suggestions on the new-ticket form."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from kb.selectors import article_search
from kb.serializers import ArticleSearchInputSerializer, ArticleSearchOutputSerializer
from kb.views.public import article_url


class ArticleSearchView(APIView):
    """`GET /api/v1/kb/search/?q=` — public: anyone may search published articles."""

    authentication_classes: list[type[BaseAuthentication]] = []  # public; no session, token or CSRF involved
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Search knowledge-base articles",
        tags=["kb"],
        parameters=[ArticleSearchInputSerializer],
        responses={
            200: ArticleSearchOutputSerializer,
            400: OpenApiResponse(description="`limit` outside 1–10 or an unknown `language`."),
        },
        auth=[],
    )
    def get(self, request: Request) -> Response:
        params = ArticleSearchInputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        query = " ".join(params.validated_data["q"].split())
        results = article_search(
            query=query, limit=params.validated_data["limit"], language=params.validated_data["language"] or None
        )
        output = ArticleSearchOutputSerializer(
            {"query": query, "count": len(results), "results": results},
            context={"request": request, "url_for": article_url},
        )
        return Response(output.data)
