"""The councils' pages under ``/ocop/hoi-dong/`` (phone-first, outside the admin).

- The office of the round's province: its councils, forming one, seating members and the chair, assigning
  submitted dossiers, the progress (who submitted, never scores) and, once closed, the ranked results.
- A member: "Phiếu chấm của tôi", and each sheet: their own scores; the other members' submitted sheets only once
  their own is submitted (:func:`submissions.access.sheets_visible_to`); save (keeps what was typed), submit, reopen.
- The chair: the close page (flagged dossiers first), then the close.

A council, sheet or dossier the user may not open is a 404 (a member of another council learns nothing); an
action they may not take on one they see is a 403. Refusals of the services are shown in the page, in Vietnamese.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cms.errors import CONFLICT, FORBIDDEN, LOCKED, WRONG_STATE
from submissions import access
from submissions.errors import SubmissionError
from submissions.ocop import scoring
from submissions.ocop.councils import selectors, services
from submissions.ocop.councils.forms import AssignForm, CouncilForm, MemberForm, ScoreSheetForm, score_key
from submissions.ocop.models import CouncilMember

#: HTTP status of a refusal shown in a page, by the error's code.
REFUSAL_STATUS = {FORBIDDEN: 403, CONFLICT: 409, LOCKED: 409, WRONG_STATE: 409}


def _status(error: SubmissionError) -> int:
    return REFUSAL_STATUS.get(error.code, 400)


def _refused(form, error: SubmissionError) -> None:
    fields = [name for name in error.details if isinstance(name, str) and name in form.fields]
    form.add_error(fields[0] if fields else None, error.message)


def _council(request, pk: int):
    """Council ``pk`` if the user sits on it or their office manages it, else 404."""
    return get_object_or_404(access.councils_visible_to(request.user).select_related("round__criteria_version"), pk=pk)


def _managed_council(request, pk: int):
    council = _council(request, pk)
    if not access.may_manage_councils(request.user, council.round):
        raise PermissionDenied
    return council


@login_required
def council_list(request):
    """The councils the user sits on or manages; the office also forms new ones for its product rounds."""
    councils = list(selectors.councils_listed(request.user))
    rounds = list(selectors.rounds_for_councils(request.user))
    if not councils and not rounds:
        raise Http404(_("Trang này dành cho hội đồng đánh giá OCOP và Văn phòng Điều phối."))
    mine = set(access.councils_of_member(request.user).values_list("pk", flat=True))
    context = {"councils": councils, "rounds": rounds, "mine": mine}
    return render(request, "submissions/ocop/councils/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def council_create(request, round_pk: int):
    round_ = get_object_or_404(selectors.rounds_for_councils(request.user).select_related("scope_root"), pk=round_pk)
    units = services.council_units(round_)
    status = 200
    form = CouncilForm(
        request.POST if request.method == "POST" else None, units=units, initial={"unit": round_.scope_root_id}
    )
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                council = services.council_create(round_=round_, user=request.user, **form.cleaned_data)
            except SubmissionError as error:
                _refused(form, error)
                status = _status(error)
            else:
                messages.success(request, _("Đã lập hội đồng. Hãy cử thành viên và chủ tịch."))
                return redirect("councils:detail", council.pk)
    return render(request, "submissions/ocop/councils/create.html", {"form": form, "round": round_}, status=status)


def _detail_context(request, council, **extra) -> dict:
    manages = access.may_manage_councils(request.user, council.round)
    members = selectors.council_members(council)
    seat = next((member for member in members if member.user_id == request.user.pk), None)
    closed = selectors.is_closed(council)
    progress = [] if closed else selectors.council_progress(council, members)
    ranked = list(selectors.entries_ranked(council)) if closed else []
    my_sheets = (
        {sheet.entry_id: sheet for sheet in access.sheets_of_member(request.user).filter(entry__council=council)}
        if seat
        else {}
    )
    for row in progress:
        row.my_sheet = my_sheets.get(row.entry.pk)
    for entry in ranked:
        entry.my_sheet = my_sheets.get(entry.pk)
    context = {
        "council": council,
        "members": members,
        "manages": manages,
        "seat": seat,
        "closed": closed,
        "progress": progress,
        "ranked": ranked,
    }
    if manages and not closed:
        context.setdefault(
            "member_form",
            MemberForm(users=services.seatable_users(council.round).exclude(pk__in=[m.user_id for m in members])),
        )
        context["assignable"] = selectors.assignable_submissions(council).exists()
    context.update(extra)
    return context


@login_required
def council_detail(request, pk: int):
    council = _council(request, pk)
    return render(request, "submissions/ocop/councils/detail.html", _detail_context(request, council))


@login_required
@require_POST
def member_add(request, pk: int):
    council = _managed_council(request, pk)
    form = MemberForm(request.POST, users=services.seatable_users(council.round))
    if form.is_valid():
        try:
            services.member_add(
                council=council,
                member_user=form.cleaned_data["user"],
                position=form.cleaned_data["position"],
                is_chair=form.cleaned_data["is_chair"],
                user=request.user,
            )
        except SubmissionError as error:
            _refused(form, error)
            status = _status(error)
        else:
            messages.success(request, _("Đã cử thành viên vào hội đồng."))
            return redirect("councils:detail", council.pk)
    else:
        status = 400
    context = _detail_context(request, council, member_form=form)
    return render(request, "submissions/ocop/councils/detail.html", context, status=status)


def _member_action(request, pk: int, member_pk: int, action, success: str):
    council = _managed_council(request, pk)
    member = get_object_or_404(
        CouncilMember.objects.select_related("council__round", "user"), pk=member_pk, council=council
    )
    try:
        action(member=member, user=request.user)
    except SubmissionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect("councils:detail", council.pk)


@login_required
@require_POST
def member_remove(request, pk: int, member_pk: int):
    return _member_action(request, pk, member_pk, services.member_remove, _("Đã bỏ thành viên khỏi hội đồng."))


@login_required
@require_POST
def chair_set(request, pk: int, member_pk: int):
    return _member_action(request, pk, member_pk, services.chair_set, _("Đã chọn chủ tịch hội đồng."))


@login_required
@require_http_methods(["GET", "POST"])
def assign(request, pk: int):
    """The office ticks submitted dossiers of the round and sends them to this council."""
    council = _managed_council(request, pk)
    form = AssignForm(
        request.POST if request.method == "POST" else None, submissions=selectors.assignable_submissions(council)
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            chosen = list(form.cleaned_data["submissions"])
            try:
                scoring.entries_assign(council=council, submissions=chosen, user=request.user)
            except SubmissionError as error:
                _refused(form, error)
                status = _status(error)
            else:
                messages.success(request, _("Đã giao %(count)s hồ sơ cho hội đồng.") % {"count": len(chosen)})
                return redirect("councils:detail", council.pk)
    return render(request, "submissions/ocop/councils/assign.html", {"council": council, "form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def close(request, pk: int):
    """The chair reads the flagged dossiers (spread above the gap) and closes the scoring."""
    council = _council(request, pk)
    if not access.is_chair(request.user, council):
        raise PermissionDenied
    if selectors.is_closed(council):
        messages.info(request, _("Hội đồng đã kết thúc chấm điểm."))
        return redirect("councils:detail", council.pk)
    status = 200
    if request.method == "POST":
        try:
            scoring.council_close(council=council, user=request.user)
        except SubmissionError as error:
            messages.error(request, error.message)
            status = _status(error)
        else:
            messages.success(request, _("Đã kết thúc chấm điểm. Kết quả đã chuyển Văn phòng Điều phối để công nhận."))
            return redirect("councils:detail", council.pk)
    context = {"council": council, "preview": selectors.close_preview(council)}
    return render(request, "submissions/ocop/councils/close.html", context, status=status)


@login_required
def sheet_list(request):
    """ "Phiếu chấm của tôi": the user's sheets in every council they sit on."""
    sheets = list(selectors.sheets_of(request.user))
    if not sheets and not access.councils_of_member(request.user).exists():
        raise Http404(_("Bạn không là thành viên hội đồng nào."))
    return render(request, "submissions/ocop/councils/sheets.html", {"sheets": sheets})


def _own_sheet(request, pk: int):
    sheet = selectors.sheet_for_member(request.user, pk)
    if sheet is None:
        raise Http404(_("Không tìm thấy phiếu chấm này."))
    return sheet


def _version(request) -> int | None:
    """The sheet's ``lock_version`` the page was loaded with (None when missing: no check)."""
    version = request.POST.get("lock_version", "")
    return int(version) if version.isdigit() else None


def _sheet_initial(sheet) -> dict:
    initial = {"lock_version": sheet.lock_version}
    for score in sheet.scores.all():
        initial[score_key(score.code)] = score.raw
    return initial


def _sheet_page(request, sheet, form, status=200):
    round_ = sheet.entry.council.round
    scores = {score.code: score for score in sheet.scores.all()}
    context = {
        "sheet": sheet,
        "entry": sheet.entry,
        "council": sheet.entry.council,
        "form": form,
        "form_parts": form.parts(),
        "parts": selectors.sheet_parts(round_, scores),
        "editable": sheet.entry.council.is_open and not sheet.is_submitted,
        "others": selectors.others_visible(request.user, sheet) if sheet.is_submitted else [],
    }
    return render(request, "submissions/ocop/councils/sheet.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def sheet_detail(request, pk: int):
    """GET: the member's own sheet (and the others' once theirs is submitted); POST: save it as a draft."""
    sheet = _own_sheet(request, pk)
    round_ = sheet.entry.council.round
    if request.method == "GET":
        return _sheet_page(request, sheet, ScoreSheetForm(initial=_sheet_initial(sheet), round_=round_))
    form = ScoreSheetForm(request.POST, round_=round_)
    form.is_valid()  # field errors are shown; what was typed is saved anyway, like the dossier's drafts
    try:
        saved = scoring.sheet_save(sheet=sheet, raws=form.raws(), user=request.user, expected_version=_version(request))
    except SubmissionError as error:
        form.add_error(None, error.message)
        return _sheet_page(request, sheet, form, status=_status(error))
    if form.errors:
        data = form.data.copy()
        data["lock_version"] = str(saved.lock_version)
        form = ScoreSheetForm(data, round_=round_)
        form.is_valid()
        fresh = _own_sheet(request, pk)
        return _sheet_page(request, fresh, form, status=400)
    messages.success(request, _("Đã lưu phiếu chấm (chưa nộp)."))
    return redirect("councils:sheet", sheet.pk)


def _sheet_action(request, pk: int, action, success: str):
    sheet = _own_sheet(request, pk)
    try:
        action(sheet=sheet, user=request.user, expected_version=_version(request))
    except SubmissionError as error:
        messages.error(request, error.message)
        status = _status(error)
        form = ScoreSheetForm(initial=_sheet_initial(sheet), round_=sheet.entry.council.round)
        return _sheet_page(request, _own_sheet(request, pk), form, status=status)
    messages.success(request, success)
    return redirect("councils:sheet", sheet.pk)


@login_required
@require_POST
def sheet_submit(request, pk: int):
    return _sheet_action(
        request, pk, scoring.sheet_submit, _("Đã nộp phiếu chấm. Bạn đã xem được phiếu của các thành viên khác.")
    )


@login_required
@require_POST
def sheet_reopen(request, pk: int):
    return _sheet_action(request, pk, scoring.sheet_reopen, _("Đã mở lại phiếu chấm để sửa."))


@login_required
def entry_detail(request, pk: int):
    """A dossier as the council reads it (read-only): the product, the producer's self-assessment and its files."""
    entry = selectors.entry_for(request.user, pk)
    if entry is None:
        raise Http404(_("Không tìm thấy hồ sơ này."))
    submission = entry.submission
    values = {value.code: value for value in submission.values.all()}
    evidence = {}
    for item in submission.evidence.all():
        evidence.setdefault(item.indicator_code, []).append(item)
    items = [
        {
            "criterion": criterion,
            "indicator": indicator,
            "value": values.get(indicator.code),
            "evidence": evidence.get(indicator.code, []),
        }
        for criterion, indicator in entry.council.round.spec.indicators()
    ]
    own = access.sheet_of(request.user, entry)
    context = {"entry": entry, "submission": submission, "product": submission.product, "items": items, "own": own}
    return render(request, "submissions/ocop/councils/entry.html", context)
