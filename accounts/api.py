"""Account API: exchange email + password for an API token (DRF TokenAuthentication).

Send it back as `Authorization: Token <key>`; the browser site keeps using session cookies."""

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from accounts.models import User
from accounts.services import auth_token_get_or_create


class TokenObtainInputSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=128, trim_whitespace=False, style={"input_type": "password"})


class TokenOutputSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True, help_text="Send as `Authorization: Token <token>`.")


class TokenObtainThrottle(AnonRateThrottle):
    """Slows down password guessing: per client address, shared by all tries."""

    scope = "auth_token"
    rate = "10/minute"


class TokenObtainView(APIView):
    # The credentials are in the body: no session (so no CSRF) and no token needed to ask for one.
    authentication_classes: list[type[BaseAuthentication]] = []
    permission_classes = [AllowAny]
    throttle_classes = [TokenObtainThrottle]

    @extend_schema(
        summary="Get your API token",
        tags=["auth"],
        request=TokenObtainInputSerializer,
        responses={
            200: TokenOutputSerializer,
            400: OpenApiResponse(description="Missing fields, or the email and password do not match an active user."),
            429: OpenApiResponse(description="Too many attempts; try again later."),
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        payload = TokenObtainInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        user = authenticate(
            request, email=payload.validated_data["email"], password=payload.validated_data["password"]
        )  # the model backend refuses inactive users: they get the same answer as a wrong password
        if not isinstance(user, User) or not user.is_active:
            raise serializers.ValidationError(
                {"non_field_errors": [_("Unable to sign in with this email and password.")]}, code="authorization"
            )
        token = auth_token_get_or_create(user=user)
        return Response(TokenOutputSerializer({"token": token.key}).data)
