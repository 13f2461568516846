"""Ticket REST API: thin viewsets over the ticket selectors and services.

Every read goes through a `*_visible_to` selector, so a ticket outside the reader's scope is a 404
(never a 403 that would leak its existence); every write is one service call, whose domain errors
`helpdesk.api.exception_handler` maps to 400 (bad data) or 409 (conflicts with the ticket's state).
Lists (tickets, a ticket's messages) are paginated in the database.
"""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.views import APIView

from accounts.models import User
from tickets.filters import TicketFilter
from tickets.models import Ticket
from tickets.permissions import can_file_tickets, can_work_queue
from tickets.selectors import message_list_visible_to, ticket_detail_visible_to, ticket_list_visible_to
from tickets.serializers import (
    ErrorOutputSerializer,
    MessageCreateInputSerializer,
    MessageCreateMultipartInputSerializer,
    MessageOutputSerializer,
    TicketCreateInputSerializer,
    TicketDetailOutputSerializer,
    TicketOutputSerializer,
    TicketTransitionInputSerializer,
)
from tickets.services import ticket_create, ticket_customer_confirm_resolution, ticket_reply, ticket_transition

BAD_REQUEST = OpenApiResponse(description="Invalid input: field name → list of messages.")
FORBIDDEN = OpenApiResponse(ErrorOutputSerializer, description="Your role may not do this.")
NOT_FOUND = OpenApiResponse(ErrorOutputSerializer, description="No such ticket, or not yours to see.")
CONFLICT = OpenApiResponse(ErrorOutputSerializer, description="The ticket's current state does not allow this.")


def _request_user(request: Request) -> User:
    """The signed-in user, typed. IsAuthenticated has refused anonymous requests already."""
    user = request.user
    if not isinstance(user, User):
        raise NotAuthenticated()
    return user


class CanFileTickets(BasePermission):
    """Only customers create tickets; agents and experts are refused (403)."""

    message = _("Only customers can file tickets.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        return getattr(view, "action", None) != "create" or can_file_tickets(request.user)


class CanChangeTicketStatus(BasePermission):
    """Only helpdesk staff change a ticket's status. Checked on the object, i.e. after the scoped
    lookup: someone else's ticket stays a 404, a customer's own ticket is a 403."""

    message = _("Only helpdesk staff can change a ticket's status.")

    def has_object_permission(self, request: Request, view: APIView, obj: Any) -> bool:
        return getattr(view, "action", None) != "transition" or can_work_queue(request.user)


class IsTheTicketsCustomer(BasePermission):
    """Only the ticket's own customer confirms its fix. Checked on the object after the scoped
    lookup: another customer's ticket stays a 404; staff, who see every ticket, get a 403."""

    message = _("Only the ticket's customer can confirm the fix.")

    def has_object_permission(self, request: Request, view: APIView, obj: Any) -> bool:
        if getattr(view, "action", None) != "confirm":
            return True
        return can_file_tickets(request.user) and obj.customer_id == request.user.pk


@extend_schema(tags=["tickets"])
@extend_schema_view(
    list=extend_schema(summary="Tickets visible to you (customers: their own; agents: all, filterable)"),
    retrieve=extend_schema(
        summary="One ticket with its conversation",
        responses={200: TicketDetailOutputSerializer, 404: NOT_FOUND},
    ),
)
class TicketViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Ticket]):
    permission_classes = [IsAuthenticated, CanFileTickets, CanChangeTicketStatus, IsTheTicketsCustomer]
    filterset_class = TicketFilter

    def get_queryset(self) -> QuerySet[Ticket]:
        if getattr(self, "swagger_fake_view", False):  # OpenAPI generation: there is no user
            return Ticket.objects.none()
        user = _request_user(self.request)
        if self.action == "retrieve":
            return ticket_detail_visible_to(user=user)
        return ticket_list_visible_to(user=user)

    def get_serializer_class(self) -> type[BaseSerializer[Any]]:
        return TicketDetailOutputSerializer if self.action == "retrieve" else TicketOutputSerializer

    def filter_queryset(self, queryset: QuerySet[Ticket]) -> QuerySet[Ticket]:
        # Query-string filters narrow the list only; a detail route must not 404 because of them.
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    @extend_schema(
        summary="File a ticket (customers)",
        request=TicketCreateInputSerializer,
        responses={201: TicketOutputSerializer, 400: BAD_REQUEST, 403: FORBIDDEN},
    )
    def create(self, request: Request) -> Response:
        user = _request_user(request)
        payload = TicketCreateInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        ticket = ticket_create(
            customer=user,
            subject=data["subject"],
            description=data["description"],
            appliance_model_text=data["appliance_model_text"],
            preferred_windows=[(window["start"], window["end"]) for window in data["preferred_windows"]],
            language=user.language,
        )
        created = self.get_queryset().get(pk=ticket.pk)  # re-read through the selector
        return Response(self.get_serializer(created).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change the ticket's status (helpdesk staff)",
        request=TicketTransitionInputSerializer,
        responses={200: TicketOutputSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, pk: str | None = None) -> Response:
        user = _request_user(request)
        ticket = self.get_object()  # scoped (404) first, then CanChangeTicketStatus (403)
        payload = TicketTransitionInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        ticket_transition(
            ticket=ticket,
            to_status=payload.validated_data["status"],
            actor=user,
            reason=payload.validated_data["reason"],
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=ticket.pk)).data)

    @extend_schema(
        summary="Confirm the fix of a resolved ticket; it closes (the ticket's customer)",
        request=None,
        responses={200: TicketOutputSerializer, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str | None = None) -> Response:
        user = _request_user(request)
        ticket = self.get_object()  # scoped (404) first, then IsTheTicketsCustomer (403)
        ticket_customer_confirm_resolution(ticket=ticket, customer=user)
        return Response(self.get_serializer(self.get_queryset().get(pk=ticket.pk)).data)

    @extend_schema(
        methods=["GET"],
        summary="The conversation (customers never see internal notes)",
        responses={200: MessageOutputSerializer(many=True), 404: NOT_FOUND},
        filters=False,
    )
    @extend_schema(
        methods=["POST"],
        summary="Reply, or add an internal note (helpdesk staff); as multipart/form-data with files",
        request={
            "application/json": MessageCreateInputSerializer,
            "multipart/form-data": MessageCreateMultipartInputSerializer,
        },
        responses={201: MessageOutputSerializer, 400: BAD_REQUEST, 404: NOT_FOUND, 409: CONFLICT},
        filters=False,
    )
    @action(detail=True, methods=["get", "post"], parser_classes=[JSONParser, MultiPartParser])
    def messages(self, request: Request, pk: str | None = None) -> Response:
        ticket = self.get_object()
        if request.method == "POST":
            return self._reply(request, ticket)
        visible = message_list_visible_to(user=_request_user(request), ticket=ticket)
        context = self.get_serializer_context()
        page = self.paginate_queryset(visible)  # COUNT + one page, in the database
        if page is None:
            return Response(MessageOutputSerializer(visible, many=True, context=context).data)
        return self.get_paginated_response(MessageOutputSerializer(page, many=True, context=context).data)

    def _reply(self, request: Request, ticket: Ticket) -> Response:
        user = _request_user(request)
        # One serializer for both media types: a JSON body simply has no files.
        payload = MessageCreateMultipartInputSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        message = ticket_reply(
            ticket=ticket,
            author=user,
            body=payload.validated_data["body"],
            internal=payload.validated_data["internal"],
            attachments=payload.validated_data["attachments"],
        )
        created = message_list_visible_to(user=user, ticket=ticket).get(pk=message.pk)  # re-read, scoped
        return Response(
            MessageOutputSerializer(created, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )
