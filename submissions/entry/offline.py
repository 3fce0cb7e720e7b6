"""The commune's form without a connection: the installable web app (manifest, service worker) and the sync of
what an officer typed and attached while offline (``static/submissions/js/offline.js`` keeps it on the phone).

The sync rule. Each value the phone sends carries the value it was based on (the server's value when the page
was loaded, per value). Inside one transaction, with the submission's row locked:

- a value equal to the server's current one is already sent (nothing to write);
- a value whose base equals the server's current value is written;
- any other value changed on the server meanwhile: it is not written, it is answered as a conflict (both
  versions); the officer chooses, and the phone sends the chosen value again based on the server's value.

The written values go through ``services.submission_save`` with the submission's current ``lock_version``, so
the existing lock stays the rule for the whole: a save elsewhere between our read and our write is a conflict
(409, nothing written, the phone retries), and values based on an older lock version are written only where the
server's value did not change since. Closed rounds and submissions submitted elsewhere are refused (409,
Vietnamese message); the phone keeps the values and offers them to copy or download.
"""

import hashlib
import json
from pathlib import Path

from django import forms
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from cms.api import json_error
from criteria_pages.forms import field_key
from submissions import access
from submissions.entry import selectors, services
from submissions.entry.forms import SubmissionForm
from submissions.errors import ConflictError, SubmissionError
from submissions.models import IndicatorValue, Submission

SW_FILE = Path(__file__).resolve().parents[1] / "static" / "submissions" / "sw.js"
#: Where the service worker works: the commune's form and its list (the manifest's start_url).
SCOPE = "/danh-gia/"
THEME_COLOUR = "#0b6e4f"
#: Values, notes and answers one sync may carry (a 57-indicator form has 114 values and notes).
MAX_FIELDS = 1000
VALUE, NOTE, ANSWER = "value", "note", "answer"


@require_GET
def service_worker(request):
    """The service worker, from ``/danh-gia/`` so that its scope is the form (never the admin or the API)."""
    response = HttpResponse(SW_FILE.read_bytes(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = SCOPE
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def manifest(request):
    """The web app manifest: the form installs on a phone's home screen as its own app."""
    icons = [
        {"src": static(f"submissions/icons/icon-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png"}
        for size in (192, 512)
    ]
    body = {
        "name": _("Nông thôn mới – Đánh giá tiêu chí"),
        "short_name": _("Nông thôn mới"),
        "description": _("Nhập, lưu và nộp hồ sơ tự đánh giá của xã, cả khi mất mạng."),
        "lang": "vi",
        "start_url": SCOPE,
        "scope": SCOPE,
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": "#ffffff",
        "icons": icons,
    }
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


# --- sync -------------------------------------------------------------------------------------------


def _own_submission(request, pk: int) -> Submission | None:
    return (
        access.submissions_filled_by(request.user)
        .select_related("round__criteria_version", "round__form_page", "unit")
        .filter(pk=pk)
        .first()
    )


def _refusal(request):
    """The JSON answer when the caller may not sync ``pk`` (None when they may)."""
    if not request.user.is_authenticated:
        return json_error(_("Phiên đăng nhập đã hết: hãy đăng nhập lại để gửi."), "not_authenticated", 401)
    return None


def _locked(submission: Submission):
    if not submission.round.is_open:
        return json_error(_("Đợt đánh giá đã đóng: các giá trị chưa gửi không thể lưu vào hồ sơ."), "round_closed", 409)
    if not submission.is_editable:
        return json_error(
            _("Hồ sơ đã được nộp ở nơi khác: các giá trị chưa gửi không thể lưu vào hồ sơ."), "submitted", 409
        )
    return None


def _fields(submission: Submission) -> dict[str, tuple[str, str, str]]:
    """Every field name the form has → (kind, indicator code or answer key, label)."""
    form_page = submission.round.form_page
    form = SubmissionForm(submission=submission, sections=list(form_page.sections) if form_page else [])
    fields = {}
    for name, indicator in form.indicators.items():
        fields[name] = (VALUE, indicator.code, str(form.fields[name].label))
        note = f"n_{field_key(indicator.code)}"
        fields[note] = (NOTE, indicator.code, _("Ghi chú %(code)s") % {"code": indicator.code})
    for name, question in form.fields.items():
        if name.startswith("q_") and not isinstance(question, forms.FileField):
            fields[name] = (ANSWER, name, str(question.label))
    return fields


def _normal(value) -> str:
    return ("" if value is None else str(value)).replace("\r\n", "\n").strip()


def _current(submission: Submission) -> dict[tuple[str, str], str]:
    current = {}
    for code, raw, note in IndicatorValue.objects.filter(submission=submission).values_list("code", "raw", "note"):
        current[(VALUE, code)], current[(NOTE, code)] = raw, note
    for key, answer in submission.answers.items():
        current[(ANSWER, key)] = answer
    return current


def _parse(request) -> dict[str, tuple[str, str]]:
    """``{"lock_version": n, "fields": {name: {"value", "base"}}}`` → {name: (value, base)}. The per-value bases
    decide (``lock_version``, the version the page was loaded with, is informative only)."""
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        body = None
    if not isinstance(body, dict) or not isinstance(body.get("fields"), dict) or len(body["fields"]) > MAX_FIELDS:
        raise SubmissionError(_("Dữ liệu gửi lên không hợp lệ."))
    items = {}
    for name, item in body["fields"].items():
        if not isinstance(item, dict) or not all(isinstance(item.get(k, ""), str) for k in ("value", "base")):
            raise SubmissionError(_("Dữ liệu gửi lên không hợp lệ."), details=[name])
        items[name] = (_normal(item.get("value")), _normal(item.get("base")))
    return items


@require_POST
@never_cache
def sync(request, pk: int):
    """Values, notes and answers typed offline: written where the server's value is still their base,
    answered as conflicts where it changed meanwhile (see the module's docstring)."""
    if refusal := _refusal(request):
        return refusal
    submission = _own_submission(request, pk)
    if submission is None:
        return json_error(_("Không tìm thấy hồ sơ này."), "not_found", 404)
    if locked := _locked(submission):
        return locked
    try:
        items = _parse(request)
    except SubmissionError as error:
        return JsonResponse({"message": error.message, "code": "invalid", "fields": error.details}, status=400)
    fields = _fields(submission)
    unknown = sorted(set(items) - set(fields))
    if unknown:
        return JsonResponse(
            {"message": _("Biểu mẫu không có các ô này."), "code": "invalid", "fields": unknown}, status=400
        )
    try:
        return _sync(request, submission, items, fields)
    except ConflictError:
        return json_error(_("Hồ sơ vừa được lưu ở nơi khác; đang gửi lại."), "conflict", 409)


@transaction.atomic
def _sync(request, submission: Submission, items: dict, fields: dict) -> JsonResponse:
    submission = Submission.objects.select_for_update().select_related("round").get(pk=submission.pk)
    if locked := _locked(submission):
        return locked
    current = _current(submission)
    writes: dict[str, dict] = {VALUE: {}, NOTE: {}, ANSWER: {}}
    sent, conflicts = [], []
    for name, (value, base) in items.items():
        kind, key, label = fields[name]
        server = _normal(current.get((kind, key), ""))
        if value == server:
            sent.append(name)
        elif base == server:
            writes[kind][key] = value
            sent.append(name)
        else:
            conflicts.append({"name": name, "label": label, "server": server, "device": value})
    if any(writes.values()):
        services.submission_save(
            submission=submission,
            raws=writes[VALUE],
            notes=writes[NOTE],
            answers=writes[ANSWER] or None,
            user=request.user,
            expected_version=submission.lock_version,
        )
    if conflicts:
        message = _("%(count)s giá trị đã được sửa trên máy chủ trong lúc bạn nhập: hãy chọn giữ bản nào.") % {
            "count": len(conflicts)
        }
    else:
        message = _("Đã gửi.")
    return JsonResponse(
        {"message": message, "lock_version": submission.lock_version, "sent": sent, "conflicts": conflicts}
    )


def _file_target(submission: Submission, name: str) -> str | None:
    """The evidence's indicator code (``e_<key>``) or ``q:<question id>`` (a "file" question ``q_<id>``)."""
    if name.startswith("e_"):
        codes = {
            f"e_{field_key(indicator.code)}": indicator.code for _c, indicator in submission.round.spec.indicators()
        }
        return codes.get(name)
    if name.startswith("q_"):
        return services.QUESTION_PREFIX + name.removeprefix("q_")
    return None


@require_POST
@never_cache
def sync_file(request, pk: int):
    """A file chosen offline, sent once: a file already attached (same content, same name) is not added again,
    so a retry after a lost answer does not attach it twice."""
    if refusal := _refusal(request):
        return refusal
    submission = _own_submission(request, pk)
    if submission is None:
        return json_error(_("Không tìm thấy hồ sơ này."), "not_found", 404)
    if locked := _locked(submission):
        return locked
    upload = request.FILES.get("file")
    code = _file_target(submission, request.POST.get("field", ""))
    if upload is None or code is None:
        return json_error(_("Thiếu tệp hoặc ô của tệp."), "invalid", 400)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    existing = selectors.current_evidence(submission).filter(indicator_code=code, sha256=digest.hexdigest()).first()
    if existing is not None:
        return JsonResponse({"message": _("Tệp đã có trong hồ sơ."), "id": existing.pk, "name": existing.original_name})
    try:
        evidence = services.evidence_add(submission=submission, indicator_code=code, upload=upload, user=request.user)
    except SubmissionError as error:
        return json_error(error.message, error.code, 409 if error.code in ("locked", "conflict") else 400)
    return JsonResponse({"message": _("Đã gửi tệp."), "id": evidence.pk, "name": evidence.original_name}, status=201)
