"""The admin's "Danh hiệu": the titles of the office's province (national readers read every province's), each with
its history, and the office's actions: revoke, correct a decision, record a title after a merger, import a list.

Who may see or do what is :mod:`submissions.access` (``titles_readable_by``, ``titles_managed_by``,
``title_units_managed_by``); a title outside the user's reach is a 404, an action they may not take a 403. The
writes are :mod:`submissions.titles.services`; a refusal is shown on the form, in Vietnamese.
"""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from wagtail.admin import messages

from cms.audit.models import AuditEntry
from cms.audit.wording import history_words
from cms.directory.models import Edition
from cms.directory.text import fold
from cms.errors import DomainError
from cms.storage import private_file_response
from submissions import access
from submissions.titles import services
from submissions.titles.forms import (
    MergerUnitForm,
    TitleCorrectForm,
    TitleFilterForm,
    TitleImportForm,
    TitleMergerForm,
    TitleRevokeForm,
    TitleState,
)
from submissions.titles.models import Title

LIST_URL_NAME = "titles_admin:list"
DETAIL_URL_NAME = "titles_admin:detail"
PER_PAGE = 50
#: The documents of a title an office may download (private: never public).
DOCUMENTS = {"quyet-dinh": "decision_document", "thu-hoi": "revocation_document"}


def _readable(request) -> None:
    if not access.may_read_titles(request.user):
        raise PermissionDenied


def _manager(request) -> None:
    if not access.may_manage_titles(request.user):
        raise PermissionDenied


def _managed_title(request, pk: int) -> Title:
    _manager(request)
    return get_object_or_404(access.titles_managed_by(request.user), pk=pk)


def _refused(form, error: DomainError) -> None:
    fields = [name for name in error.details if isinstance(name, str) and name in form.fields]
    if fields:
        for name in fields:
            form.add_error(name, error.message)
    else:
        form.add_error(None, error.message)


@require_GET
def title_list(request):
    _readable(request)
    form = TitleFilterForm(request.GET or None)
    titles = access.titles_readable_by(request.user).order_by("unit__path", "-decision_date", "pk")
    if form.is_valid():
        data = form.cleaned_data
        if data["kind"]:
            titles = titles.filter(kind=data["kind"])
        if data["state"] == TitleState.CURRENT:
            titles = titles.current()
        elif data["state"] == TitleState.REVOKED:
            titles = titles.exclude(revoked_on__isnull=True)
        if query := data["q"].strip():
            titles = titles.filter(Q(unit__code=query) | Q(unit__search_name__contains=fold(query)))
    page = Paginator(titles, PER_PAGE).get_page(request.GET.get("p"))
    context = {
        "form": form,
        "page_obj": page,
        "may_manage": access.may_manage_titles(request.user),
        "query_without_page": _query_without_page(request),
    }
    return render(request, "submissions/titles/list.html", context)


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("p", None)
    return query.urlencode()


@require_GET
def title_detail(request, pk: int):
    _readable(request)
    title = get_object_or_404(access.titles_readable_by(request.user).select_related("revoked_by", "created_by"), pk=pk)
    entries = AuditEntry.objects.about(title).select_related("actor")
    may_manage = access.titles_managed_by(request.user).filter(pk=title.pk).exists()
    context = {
        "title": title,
        "carried_from": title.carried_from.select_related("unit"),
        "carried_to": title.carried_to.select_related("unit"),
        "history": history_words(entries, title),
        "may_manage": may_manage,
        "documents": {
            key: reverse("titles_admin:document", args=[title.pk, key])
            for key, field in DOCUMENTS.items()
            if may_manage and getattr(title, field)
        },
    }
    return render(request, "submissions/titles/detail.html", context)


@require_GET
def title_document(request, pk: int, which: str):
    """A title's decision or revocation document: private, to the office managing it (never national readers)."""
    title = _managed_title(request, pk)
    field = DOCUMENTS.get(which)
    document = getattr(title, field) if field else None
    if not document:
        raise Http404(_("Không có văn bản này."))
    return private_file_response(document, filename=document.name.rsplit("/", 1)[-1])


def _action_page(request, *, title: Title | None, form, heading: str, submit: str, **extra):
    context = {"title": title, "form": form, "heading": heading, "submit": submit, **extra}
    return render(request, "submissions/titles/action.html", context)


@require_http_methods(["GET", "POST"])
def title_revoke(request, pk: int):
    title = _managed_title(request, pk)
    if title.revoked_on is not None:
        messages.error(request, _("Danh hiệu này đã bị thu hồi."))
        return redirect(DETAIL_URL_NAME, pk=title.pk)
    form = TitleRevokeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.title_revoke(
                title=title,
                user=request.user,
                revocation_number=data["revocation_number"],
                revoked_on=data["revoked_on"],
                reason=data["reason"],
                document=data["document"],
            )
        except DomainError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Đã thu hồi danh hiệu của %(unit)s.") % {"unit": title.unit.name})
            return redirect(DETAIL_URL_NAME, pk=title.pk)
    return _action_page(
        request,
        title=title,
        form=form,
        heading=_("Thu hồi danh hiệu"),
        submit=_("Thu hồi danh hiệu"),
        warning=_(
            "Danh hiệu bị thu hồi vẫn ở trong lịch sử của đơn vị, được ghi rõ “đã thu hồi”, và không còn được "
            "tính trong thống kê."
        ),
    )


@require_http_methods(["GET", "POST"])
def title_correct(request, pk: int):
    title = _managed_title(request, pk)
    initial = {"decision_number": title.decision_number, "decision_date": title.decision_date}
    form = TitleCorrectForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.title_correct(
                title=title,
                user=request.user,
                decision_number=data["decision_number"],
                decision_date=data["decision_date"],
                reason=data["reason"],
            )
        except DomainError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Đã đính chính quyết định công nhận."))
            return redirect(DETAIL_URL_NAME, pk=title.pk)
    return _action_page(
        request,
        title=title,
        form=form,
        heading=_("Đính chính quyết định công nhận"),
        submit=_("Lưu đính chính"),
        warning=_("Đính chính sửa số hoặc ngày của quyết định (sai sót khi ghi), không thu hồi danh hiệu."),
    )


@require_http_methods(["GET", "POST"])
def title_record_after_merger(request):
    """Two steps: the new unit (by code, in the newest list), then its title and the predecessors' it carries on."""
    _manager(request)
    unit_form = MergerUnitForm(request.GET or None)
    unit = None
    if unit_form.is_valid():
        edition = Edition.objects.order_by("-date").first()
        unit = (
            access.title_units_managed_by(request.user)
            .filter(edition=edition, code=unit_form.cleaned_data["code"].strip())
            .select_related("edition")
            .first()
        )
        if unit is None:
            unit_form.add_error("code", _("Không có đơn vị mã này trong danh mục mới nhất của tỉnh bạn."))
    form = None
    choices = Title.objects.none()
    if unit is not None:
        choices = services.predecessor_titles(unit).order_by("unit__name", "kind")
        form = TitleMergerForm(request.POST or None, request.FILES or None, carried_choices=choices)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                title = services.title_record_after_merger(
                    unit=unit,
                    kind=data["kind"],
                    decision_number=data["decision_number"],
                    decision_date=data["decision_date"],
                    carried_from=data["carried_from"],
                    user=request.user,
                    note=data["note"],
                    document=data["document"],
                )
            except DomainError as error:
                _refused(form, error)
            else:
                messages.success(request, _("Đã ghi nhận danh hiệu của %(unit)s.") % {"unit": unit.name})
                return redirect(DETAIL_URL_NAME, pk=title.pk)
    elif request.method == "POST":
        raise Http404(_("Hãy chọn đơn vị trước."))
    context = {"unit_form": unit_form, "unit": unit, "form": form, "has_choices": choices.exists() if unit else False}
    return render(request, "submissions/titles/merger.html", context)


@require_http_methods(["GET", "POST"])
def titles_import(request):
    _manager(request)
    form = TitleImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = services.titles_import(data=upload.read(), filename=upload.name, user=request.user)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            if report.ok:
                messages.success(
                    request,
                    _("Đã nhập %(count)s danh hiệu từ tệp “%(name)s”.")
                    % {"count": len(report.created), "name": upload.name},
                )
                return redirect(LIST_URL_NAME)
    return render(request, "submissions/titles/import.html", {"form": form, "report": report})
