"""Expert REST API: the job board, proposing and withdrawing, the schedule, day-of reports.

Every lookup by id goes through a selector scoped to the requesting expert (404 otherwise); every
write is one service call, whose domain errors helpdesk.api maps to 400 (bad data) or 409."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from experts.models import ExpertProfile, Proposal
from experts.permissions import can_work_jobs
from experts.selectors import (
    expert_profile_of,
    job_board_for,
    proposals_of,
    replacement_seat_scope,
    schedule_of,
    visit_scope_for_expert,
)
from experts.serializers import (
    CompleteInputSerializer,
    IncidentCreateInputSerializer,
    IncidentOutputSerializer,
    JobOutputSerializer,
    ProposalCreateInputSerializer,
    ProposalOutputSerializer,
    ScheduleOutputSerializer,
)
from experts.services import proposal_create, proposal_withdraw
from tickets.serializers import ErrorOutputSerializer
from visits.models import Booking, Visit
from visits.services.incidents import incident_report, visit_complete
from visits.services.replacements import replacement_accept

BAD_REQUEST = OpenApiResponse(description="Invalid input: field name → list of messages.")
FORBIDDEN = OpenApiResponse(ErrorOutputSerializer, description="Only experts use this.")
NOT_FOUND = OpenApiResponse(ErrorOutputSerializer, description="No such visit, or not one you may act on.")
CONFLICT = OpenApiResponse(ErrorOutputSerializer, description="The visit's current state does not allow this.")


class IsExpert(BasePermission):
    message = _("Only experts can use the job board.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        return can_work_jobs(request.user)


def _expert(request: Request) -> ExpertProfile:
    expert = expert_profile_of(request.user)  # type: ignore[arg-type]  # IsAuthenticated ran
    if expert is None:
        raise NotFound(_("You have no expert profile."))
    return expert


@extend_schema(tags=["jobs"])
@extend_schema_view(list=extend_schema(summary="Your job board: open visits matching your skills and area"))
class JobViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[Visit]):
    permission_classes = [IsAuthenticated, IsExpert]
    serializer_class = JobOutputSerializer
    pagination_class = None  # the board is one list, most urgent first
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Visit]:
        return Visit.objects.none()  # list() below serves the evaluated board

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(JobOutputSerializer(job_board_for(expert=_expert(request)), many=True).data)


@extend_schema(tags=["jobs"])
class VisitActionViewSet(viewsets.GenericViewSet[Visit]):
    """Actions of an expert on one visit: propose, report an incident, complete, take a seat."""

    permission_classes = [IsAuthenticated, IsExpert]
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Visit]:
        if getattr(self, "swagger_fake_view", False):
            return Visit.objects.none()
        expert = _expert(self.request)
        if self.action == "proposals":
            return visit_scope_for_expert(expert=expert)
        if self.action == "take":
            return replacement_seat_scope(expert=expert)
        return Visit.objects.filter(bookings__expert=expert).distinct()

    @extend_schema(
        summary="Propose one or more start times",
        request=ProposalCreateInputSerializer,
        responses={
            201: ProposalOutputSerializer(many=True),
            400: BAD_REQUEST,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: CONFLICT,
        },
    )
    @action(detail=True, methods=["post"])
    def proposals(self, request: Request, pk: str | None = None) -> Response:
        visit = self.get_object()
        payload = ProposalCreateInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        created = proposal_create(
            expert=_expert(request), visit=visit, start_times=payload.validated_data["start_times"]
        )
        return Response(ProposalOutputSerializer(created, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Report an incident on a visit you are booked on",
        request=IncidentCreateInputSerializer,
        responses={201: IncidentOutputSerializer, 400: BAD_REQUEST, 404: NOT_FOUND, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def incidents(self, request: Request, pk: str | None = None) -> Response:
        visit = self.get_object()
        payload = IncidentCreateInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        incident = incident_report(visit=visit, expert=_expert(request), **payload.validated_data)
        return Response(IncidentOutputSerializer(incident).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Complete a visit you are booked on",
        request=CompleteInputSerializer,
        responses={200: ScheduleOutputSerializer, 400: BAD_REQUEST, 404: NOT_FOUND, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str | None = None) -> Response:
        expert = _expert(request)
        visit = self.get_object()
        payload = CompleteInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        visit_complete(visit=visit, expert=expert, notes=payload.validated_data["notes"])
        booking = schedule_of(expert=expert).get(visit=visit)
        return Response(ScheduleOutputSerializer(booking).data)

    @extend_schema(
        summary="Take the seat of an expert who cannot come",
        request=None,
        responses={201: ScheduleOutputSerializer, 404: NOT_FOUND, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def take(self, request: Request, pk: str | None = None) -> Response:
        expert = _expert(request)
        booking = replacement_accept(visit=self.get_object(), expert=expert)
        return Response(ScheduleOutputSerializer(schedule_of(expert=expert).get(pk=booking.pk)).data, status=201)


@extend_schema(tags=["jobs"])
@extend_schema_view(
    list=extend_schema(summary="Your proposals, newest first"),
    destroy=extend_schema(summary="Withdraw a proposal", responses={204: None, 404: NOT_FOUND, 409: CONFLICT}),
)
class ProposalViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet[Proposal]):
    permission_classes = [IsAuthenticated, IsExpert]
    serializer_class = ProposalOutputSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Proposal]:
        if getattr(self, "swagger_fake_view", False):
            return Proposal.objects.none()
        return proposals_of(expert=_expert(self.request)).order_by("-created_at", "-pk")

    def perform_destroy(self, instance: Proposal) -> None:
        proposal_withdraw(proposal=instance, expert=_expert(self.request))


@extend_schema(tags=["jobs"])
@extend_schema_view(list=extend_schema(summary="Your booked visits, soonest first, with the customer's address"))
class ScheduleViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[Booking]):
    permission_classes = [IsAuthenticated, IsExpert]
    serializer_class = ScheduleOutputSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Booking]:
        if getattr(self, "swagger_fake_view", False):
            return Booking.objects.none()
        return schedule_of(expert=_expert(self.request))
