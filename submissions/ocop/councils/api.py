"""Councils API (``/api/v1/ocop/...``): the caller's councils, one council with its progress (who submitted, never
scores while it scores; the ranked results once closed), the caller's own score sheet (read, save, submit, reopen)
and the chair's close.

The same rules as the web pages (:mod:`submissions.ocop.councils.views`), because both ask
:mod:`submissions.access` and call :mod:`submissions.ocop.scoring`: a council or sheet outside the caller's reach is
a 404 for every verb; another member's sheet is never reachable by id, and its scores appear in ``others`` only once
the caller's own sheet of that dossier is submitted. Refusals of the services go to the project's exception handler
(403 ``forbidden``, 409 ``conflict``/``locked``/``wrong_state``, 400 ``incomplete`` with ``missing``).
"""

from django.utils.translation import gettext as _

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import APIView

from cms.parsers import JSONParser
from submissions import access
from submissions.api.common import NOT_FOUND, ApiErrorSerializer, LoginRequired
from submissions.ocop import scoring
from submissions.ocop.councils import selectors
from submissions.ocop.councils.serializers import (
    CouncilDetailSerializer,
    CouncilSerializer,
    LockVersionSerializer,
    SheetSaveSerializer,
    SheetSerializer,
)
from submissions.ocop.models import Council, CouncilMember, CouncilStatus, MemberSheet

REFUSED = OpenApiResponse(
    ApiErrorSerializer,
    description='"forbidden" (403): not the caller\'s to do; "conflict"/"locked"/"wrong_state" (409): stale '
    'lock_version, council closed, sheet already submitted; "incomplete" (400): sheets still pending.',
)


def _person(member: CouncilMember) -> dict:
    user = member.user
    return {
        "id": member.pk,
        "name": user.get_full_name() or user.get_username(),
        "is_chair": member.is_chair,
        "position": member.position,
    }


def _council_row(council: Council, *, is_member: bool, is_chair: bool, manages: bool) -> dict:
    return {
        "id": council.pk,
        "name": council.name,
        "level": council.level,
        "unit": council.unit,
        "round": {"id": council.round_id, "name": council.round.name},
        "establishing_decision": council.establishing_decision,
        "status": council.status,
        "closed_at": council.closed_at,
        "member_count": council.member_count,
        "entry_count": council.entry_count,
        "is_member": is_member,
        "is_chair": is_chair,
        "manages": manages,
    }


class CouncilListView(LoginRequired, APIView):
    @extend_schema(
        summary="The caller's councils: those they sit on, and those their office forms",
        responses={200: CouncilSerializer(many=True), 403: ApiErrorSerializer},
    )
    def get(self, request):
        seats = dict(CouncilMember.objects.filter(user=request.user).values_list("council_id", "is_chair"))
        managed = set(access.councils_managed_by(request.user).values_list("pk", flat=True))
        rows = [
            _council_row(
                council,
                is_member=council.pk in seats,
                is_chair=seats.get(council.pk, False),
                manages=council.pk in managed,
            )
            for council in selectors.councils_listed(request.user).select_related("unit")
        ]
        return Response(CouncilSerializer(rows, many=True).data)


def _visible_council(request, pk: int) -> Council:
    council = selectors.councils_listed(request.user).select_related("unit").filter(pk=pk).first()
    if council is None:
        raise exceptions.NotFound(_("Không tìm thấy hội đồng này."))
    return council


def _entries(council: Council, members, user) -> list[dict]:
    own = {sheet.entry_id: sheet.pk for sheet in access.sheets_of_member(user).filter(entry__council=council)}
    if council.status == CouncilStatus.CLOSED:
        return [
            {
                **_entry_ref(entry),
                "submitted_by": [member.pk for member in members],
                "pending": [],
                "my_sheet": own.get(entry.pk),
                "rank": rank,
                "score": entry.score,
                "stars": entry.stars,
                "band": entry.band,
                "spread": entry.spread,
                "flagged": entry.flagged,
                "proposed_national": entry.proposed_national_at is not None,
            }
            for rank, entry in enumerate(selectors.entries_ranked(council), start=1)
        ]
    return [
        {
            **_entry_ref(row.entry),
            "submitted_by": [member.pk for member in row.submitted],
            "pending": [member.pk for member in row.pending],
            "my_sheet": own.get(row.entry.pk),
            "rank": None,
            "score": None,
            "stars": None,
            "band": "",
            "spread": None,
            "flagged": None,
            "proposed_national": False,
        }
        for row in selectors.council_progress(council, members)
    ]


def _entry_ref(entry) -> dict:
    submission = entry.submission
    return {
        "id": entry.pk,
        "submission": submission.pk,
        "product": submission.product.name,
        "producer": submission.product.producer.name,
        "commune": submission.unit,
    }


def _council_detail(request, council: Council) -> dict:
    members = selectors.council_members(council)
    seat = next((member for member in members if member.user_id == request.user.pk), None)
    body = _council_row(
        council,
        is_member=seat is not None,
        is_chair=bool(seat and seat.is_chair),
        manages=access.may_manage_councils(request.user, council.round),
    )
    body["members"] = [_person(member) for member in members]
    body["entries"] = _entries(council, members, request.user)
    return CouncilDetailSerializer(body).data


class CouncilDetailView(LoginRequired, APIView):
    @extend_schema(
        summary="One council: members, and per dossier who has submitted (the ranked results once closed)",
        responses={200: CouncilDetailSerializer, 404: NOT_FOUND},
    )
    def get(self, request, pk: int):
        return Response(_council_detail(request, _visible_council(request, pk)))


class CouncilCloseView(LoginRequired, APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        summary="The chair ends the scoring: every dossier gets the council's score and proposed stars",
        description="Refused (400 incomplete) while any member's sheet is pending; 403 for anyone but the chair.",
        request=None,
        responses={200: CouncilDetailSerializer, 400: REFUSED, 403: REFUSED, 404: NOT_FOUND, 409: REFUSED},
    )
    def post(self, request, pk: int):
        council = _visible_council(request, pk)
        scoring.council_close(council=council, user=request.user)
        return Response(_council_detail(request, _visible_council(request, pk)))


# --- the caller's own sheet -------------------------------------------------------------------------------------


def _own_sheet(request, pk: int) -> MemberSheet:
    sheet = selectors.sheet_for_member(request.user, pk)
    if sheet is None:
        raise exceptions.NotFound(_("Không tìm thấy phiếu chấm này."))
    return sheet


def _parts(round_, scores) -> list[dict]:
    return [
        {
            "number": part.number,
            "name": part.name,
            "maximum": part.maximum,
            "subtotal": part.subtotal,
            "items": [
                {
                    "code": item["indicator"].code,
                    "name": item["indicator"].name,
                    "maximum": item["indicator"].points or 0,
                    "raw": item["score"].raw if item["score"] else "",
                    "points": item["score"].points if item["score"] else None,
                    "note": item["score"].note if item["score"] else "",
                }
                for item in part.items
            ],
        }
        for part in selectors.sheet_parts(round_, scores)
    ]


def _sheet_body(request, sheet: MemberSheet) -> dict:
    entry, council = sheet.entry, sheet.entry.council
    round_ = council.round
    scores = {score.code: score for score in sheet.scores.all()}
    others = selectors.others_visible(request.user, sheet) if sheet.is_submitted else []
    body = {
        "id": sheet.pk,
        "entry": {
            "id": entry.pk,
            "submission": entry.submission_id,
            "product": entry.submission.product.name,
            "producer": entry.submission.product.producer.name,
        },
        "council": {"id": council.pk, "name": council.name, "status": council.status},
        "lock_version": sheet.lock_version,
        "total": sheet.total,
        "complete": sheet.complete,
        "submitted_at": sheet.submitted_at,
        "editable": council.is_open and not sheet.is_submitted,
        "parts": _parts(round_, scores),
        "errors": selectors.sheet_errors(round_, scores),
        "others": [
            {
                "member": _person(other["sheet"].member),
                "total": other["sheet"].total,
                "submitted_at": other["sheet"].submitted_at,
                "parts": _parts(round_, {score.code: score for score in other["sheet"].scores.all()}),
            }
            for other in others
        ],
    }
    return SheetSerializer(body).data


class SheetView(LoginRequired, APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        summary="The caller's own score sheet (and the other members' submitted ones, once theirs is submitted)",
        responses={200: SheetSerializer, 404: NOT_FOUND},
    )
    def get(self, request, pk: int):
        return Response(_sheet_body(request, _own_sheet(request, pk)))

    @extend_schema(
        summary="Save the caller's sheet (a draft): points by item code, as typed",
        description=(
            "Values that cannot be read (not a number, above the item's maximum) are stored as typed and reported "
            "in `errors` (HTTP 200), as the web page does. Unknown item codes give 400. Requires the current "
            "`lock_version` (409 `conflict` otherwise; nothing is overwritten)."
        ),
        request=SheetSaveSerializer,
        responses={200: SheetSerializer, 400: ApiErrorSerializer, 404: NOT_FOUND, 409: REFUSED},
    )
    def put(self, request, pk: int):
        sheet = _own_sheet(request, pk)
        codes = {indicator.code for _criterion, indicator in scoring.score_items(sheet.entry.council.round)}
        serializer = SheetSaveSerializer(data=request.data, context={"codes": codes})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        scoring.sheet_save(
            sheet=sheet,
            raws=data["values"],
            notes=data.get("notes") or None,
            user=request.user,
            expected_version=data["lock_version"],
        )
        return Response(_sheet_body(request, _own_sheet(request, pk)))


class _SheetAction(LoginRequired, APIView):
    parser_classes = [JSONParser]
    service = None  # the scoring service, as a staticmethod

    def post(self, request, pk: int):
        sheet = _own_sheet(request, pk)
        serializer = LockVersionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.service(sheet=sheet, user=request.user, expected_version=serializer.validated_data.get("lock_version"))
        return Response(_sheet_body(request, _own_sheet(request, pk)))


@extend_schema(
    summary="Submit the caller's complete sheet; the other members' submitted sheets open to them",
    request=LockVersionSerializer,
    responses={200: SheetSerializer, 400: REFUSED, 404: NOT_FOUND, 409: REFUSED},
)
class SheetSubmitView(_SheetAction):
    service = staticmethod(scoring.sheet_submit)


@extend_schema(
    summary="Take the caller's submitted sheet back to correct it, while the council still scores",
    request=LockVersionSerializer,
    responses={200: SheetSerializer, 404: NOT_FOUND, 409: REFUSED},
)
class SheetReopenView(_SheetAction):
    service = staticmethod(scoring.sheet_reopen)
