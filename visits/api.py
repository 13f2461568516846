"""Visit-group REST API: agents plan visits and handle unmatched groups; customers follow their
visits and accept reschedule offers. Scoped selectors for every read (404), one service per write."""

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from tickets.permissions import can_file_tickets, can_work_queue
from tickets.selectors import ticket_list_visible_to
from tickets.serializers import ErrorOutputSerializer
from visits.models import RescheduleOffer, VisitGroup
from visits.selectors import visit_groups_visible_to
from visits.serializers import (
    OfferAcceptInputSerializer,
    OfferAcceptOutputSerializer,
    OfferOutputSerializer,
    VisitGroupCreateInputSerializer,
    VisitGroupOutputSerializer,
)
from visits.services.finalize import visit_group_finalize
from visits.services.groups import visit_group_create
from visits.services.reschedule import group_alternatives, reschedule_offer_accept, reschedule_offer_send

BAD_REQUEST = OpenApiResponse(description="Invalid input: field name → list of messages.")
FORBIDDEN = OpenApiResponse(ErrorOutputSerializer, description="Your role may not do this.")
NOT_FOUND = OpenApiResponse(ErrorOutputSerializer, description="No such group, or not yours to see.")
CONFLICT = OpenApiResponse(ErrorOutputSerializer, description="The group's current state does not allow this.")
STAFF_ACTIONS = {"create", "alternatives", "offer", "finalize"}


def _user(request: Request) -> User:
    if not isinstance(request.user, User):
        raise NotAuthenticated()
    return request.user


class StaffPlansVisits(BasePermission):
    message = _("Only helpdesk staff plan visits and send offers.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        return getattr(view, "action", None) not in STAFF_ACTIONS or can_work_queue(request.user)


@extend_schema(tags=["visits"])
@extend_schema_view(
    list=extend_schema(summary="Visit groups (customers: of their tickets; staff: all)"),
    retrieve=extend_schema(summary="One visit group", responses={200: VisitGroupOutputSerializer, 404: NOT_FOUND}),
)
class VisitGroupViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[VisitGroup]):
    permission_classes = [IsAuthenticated, StaffPlansVisits]
    serializer_class = VisitGroupOutputSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[VisitGroup]:
        if getattr(self, "swagger_fake_view", False):
            return VisitGroup.objects.none()
        return visit_groups_visible_to(user=_user(self.request))

    @extend_schema(
        summary="Turn a ticket into 1..N visits (staff)",
        request=VisitGroupCreateInputSerializer,
        responses={201: VisitGroupOutputSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
    )
    def create(self, request: Request) -> Response:
        user = _user(request)
        payload = VisitGroupCreateInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        ticket = get_object_or_404(ticket_list_visible_to(user=user), pk=payload.validated_data["ticket"])
        group = visit_group_create(ticket=ticket, visits=payload.visit_inputs(), actor=user)
        return Response(self.get_serializer(self.get_queryset().get(pk=group.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Complete schedules the experts' alternative proposals allow (staff)",
        responses={200: OpenApiResponse(description="Up to three schedules: {visits: [...]}."), 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"])
    def alternatives(self, request: Request, pk: str | None = None) -> Response:
        return Response([s.as_json() for s in group_alternatives(group=self.get_object())])

    @extend_schema(
        summary="Send the customer a reschedule offer of up to three alternatives (staff)",
        request=None,
        responses={201: OfferOutputSerializer, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def offer(self, request: Request, pk: str | None = None) -> Response:
        offer = reschedule_offer_send(group=self.get_object(), actor=_user(request))
        return Response(OfferOutputSerializer(offer).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Run finalization now (staff)",
        request=None,
        responses={200: OpenApiResponse(description='{"outcome": "scheduled" | "not_full" | ...}'), 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def finalize(self, request: Request, pk: str | None = None) -> Response:
        return Response({"outcome": str(visit_group_finalize(group_id=self.get_object().pk))})


class IsCustomer(BasePermission):
    message = _("Only the customer accepts an offer.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        return can_file_tickets(request.user)


@extend_schema(tags=["visits"])
class RescheduleOfferViewSet(viewsets.GenericViewSet[RescheduleOffer]):
    permission_classes = [IsAuthenticated, IsCustomer]
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[RescheduleOffer]:
        if getattr(self, "swagger_fake_view", False):
            return RescheduleOffer.objects.none()
        return RescheduleOffer.objects.filter(group__ticket__customer=_user(self.request))

    @extend_schema(
        summary="Accept one option of a reschedule offer",
        request=OfferAcceptInputSerializer,
        responses={200: OfferAcceptOutputSerializer, 400: BAD_REQUEST, 404: NOT_FOUND, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        payload = OfferAcceptInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        result = reschedule_offer_accept(
            offer=self.get_object(), option=payload.validated_data["option"], customer=_user(request)
        )
        return Response(OfferAcceptOutputSerializer(result).data)
