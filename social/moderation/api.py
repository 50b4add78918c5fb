"""POST /reports (SPEC §4)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from config.kernel.api.fields import IdField, StrictChoiceField, TextField
from config.kernel.api.idempotency import IDEMPOTENCY_PARAMETER, idempotent
from config.kernel.api.input import valid
from config.kernel.api.schema import errors
from social.moderation import services
from social.moderation.models import Report


class ReportCreateSerializer(serializers.Serializer):
    targetType = StrictChoiceField(choices=Report.Target.values)
    targetId = IdField(read_only=False)
    reason = StrictChoiceField(choices=Report.Reason.values, help_text="The reason's category.")
    text = TextField(
        required=False, allow_blank=True, max_length=services.MAX_DETAILS, default="",
        help_text="Details for the moderators (an addition).",
    )  # fmt: skip


class ReportsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="report_create",
        request=ReportCreateSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={
            201: inline_serializer("ReportCreated", {"reportId": IdField()}),
            **errors(
                s403="Yourself or your own posts.",
                s404="Nothing you can see has that id.",
                s409="Your report on it is still open (or the Idempotency-Key was used for another request).",
            ),
        },
        description=(
            "Report a tweet, a user or a message you can see (404 otherwise) to the moderators. "
            "While your report on the same thing is open, another is 409. Reporting yourself is 403."
        ),
        tags=["moderation"],
    )
    @idempotent
    def post(self, request):
        data = valid(ReportCreateSerializer, request.data)
        report = services.report_create(
            reporter=request.user, target_type=data["targetType"], target_id=data["targetId"],
            reason=data["reason"], text=data["text"],
        )  # fmt: skip
        return Response({"reportId": str(report.pk)}, status=status.HTTP_201_CREATED)
