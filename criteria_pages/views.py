"""Admin views: version history and comparison, import and export of whole sets, and what publishing a set or a
criterion in the page editor does around Wagtail's own publishing (called from the page hooks)."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wagtail.admin import messages as admin_messages

from . import access, selectors, services, transfer
from .forms import SetImportForm
from .models import CriteriaSetPage, CriterionPage
from .spec import SetSpec

VIEW_VERSIONS = "criteria_pages.view_criteriasetversion"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@permission_required(VIEW_VERSIONS, raise_exception=True)
def set_versions(request, page_id: int):
    """Every frozen version of a set, and the differences between any two of them."""
    page = get_object_or_404(CriteriaSetPage.objects.filter(access.sets_readable_q(request.user)), pk=page_id)
    versions = list(selectors.versions_of(page))
    by_number = {version.number: version for version in versions}
    changes, old, new, error = None, None, None, ""
    if versions:
        try:
            old_number = int(request.GET.get("from", versions[1].number if len(versions) > 1 else versions[0].number))
            new_number = int(request.GET.get("to", versions[0].number))
        except ValueError:
            old_number, new_number = versions[-1].number, versions[0].number
            error = _("Số phiên bản không hợp lệ.")
        old, new = by_number.get(old_number), by_number.get(new_number)
        if old is None or new is None:
            error = _("Không có phiên bản này.")
        else:
            changes = selectors.diff_specs(old.set_spec, new.set_spec)
    return render(
        request,
        "criteria_pages/admin/set_versions.html",
        {"page": page, "versions": versions, "old": old, "new": new, "changes": changes, "error": error},
        status=400 if error else 200,
    )


def _download(content: bytes | str, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@permission_required(VIEW_VERSIONS, raise_exception=True)
def set_export(request, page_id: int, fmt: str):
    """The set as published now (its live criteria), as XLSX or JSON; or a blank template."""
    if fmt not in ("xlsx", "json"):
        raise Http404
    if page_id == 0:
        spec = SetSpec(code="MA_BO_TIEU_CHI", name="", classification=request.GET.get("classification", "region"))
        filename = "mau-bo-tieu-chi"
    else:
        page = get_object_or_404(CriteriaSetPage.objects.filter(access.sets_readable_q(request.user)), pk=page_id)
        spec = page.as_spec()
        filename = spec.code.lower()
    if fmt == "json":
        return _download(transfer.spec_to_json(spec), f"{filename}.json", "application/json; charset=utf-8")
    content = transfer.spec_to_xlsx(spec, group_codes=selectors.group_codes_for(spec))
    return _download(content, f"{filename}.xlsx", XLSX_TYPE)


def set_import(request):
    """Upload a whole set into the user's province's index (a superuser chooses: national or a province's); every
    problem is listed (sheet, row, column) and nothing is imported until none remain."""
    indexes = access.import_indexes_for(request.user)
    if not indexes:
        raise PermissionDenied
    form = SetImportForm(request.POST or None, request.FILES or None, indexes=indexes, index_label=access.index_label)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = services.criteria_set_import_file(
            data=upload.read(), filename=upload.name, parent=form.cleaned_data["index"], user=request.user
        )
        if report.ok:
            messages.success(
                request,
                _("Đã nhập “%(name)s”: phiên bản %(number)s.")
                % {"name": report.page.title, "number": report.version.number},
            )
            return redirect(reverse("criteria_set_versions", args=[report.page.pk]))
        problems = report.problems
        messages.error(
            request, _("Tệp có %(count)s lỗi; chưa nhập gì. Sửa rồi tải lên lại.") % {"count": len(problems)}
        )
    return render(
        request,
        "criteria_pages/admin/set_import.html",
        {"form": form, "problems": problems},
        status=400 if problems or form.errors else 200,
    )


# --- publishing in the page editor ---------------------------------------------------------------------------------

#: How many differences from the previous version the message after publishing names.
CHANGES_NAMED = 3


def _criteria_list(criteria) -> str:
    """ "2. Giao thông; 5. Trường học": criteria pages or specs."""
    return "; ".join(
        f"{criterion.number}. {getattr(criterion, 'title', None) or criterion.name}" for criterion in criteria
    )


def before_publish_set(request, page: CriteriaSetPage):
    """A set is published with its criteria's unpublished changes, or not at all: a set that would have no criterion
    is refused (its draft is kept), and so is one holding a criterion the user may not publish."""
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    if not page.criteria_as_published_with_set():
        services.criteria_set_keep_as_draft(page=page)
        admin_messages.error(request, services.empty_set_message())
        return redirect(edit_url)
    pending = list(page.criteria_with_pending_changes())
    refused = [criterion for criterion in pending if not criterion.permissions_for_user(request.user).can_publish()]
    if refused:
        admin_messages.error(
            request,
            _("Bạn không có quyền phát hành các tiêu chí có thay đổi chưa phát hành: %(criteria)s.")
            % {"criteria": _criteria_list(refused)},
        )
        return redirect(edit_url)
    published = services.criteria_set_publish_pending(page=page, user=request.user)
    if published:
        admin_messages.info(
            request,
            ngettext(
                "Đã phát hành cùng bộ %(count)s tiêu chí có thay đổi: %(criteria)s.",
                "Đã phát hành cùng bộ %(count)s tiêu chí có thay đổi: %(criteria)s.",
                len(published),
            )
            % {"count": len(published), "criteria": _criteria_list(published)},
        )
    return None


def after_publish_set(request, page: CriteriaSetPage):
    """Freeze the published set as its next version and say what changed since the previous one (with a link to
    the comparison), or that nothing did; warn about criteria frozen without indicators."""
    previous = selectors.versions_of(page).first()
    try:
        version, created = services.criteria_set_freeze(page=page, user=request.user)
    except ValidationError as error:
        admin_messages.error(request, " ".join(error.messages))
        return None
    versions_url = reverse("criteria_set_versions", args=[page.pk])
    if not created:
        admin_messages.info(
            request,
            _(
                "Không có thay đổi so với phiên bản %(number)s: không tạo phiên bản mới, các đợt đánh giá vẫn dùng "
                "phiên bản %(number)s."
            )
            % {"number": version.number},
        )
    elif previous is None:
        admin_messages.success(
            request,
            _("Đã tạo phiên bản %(number)s của bộ tiêu chí “%(name)s”.")
            % {"number": version.number, "name": page.title},
            buttons=[admin_messages.button(versions_url, _("Xem phiên bản"))],
        )
    else:
        changes = selectors.diff_specs(previous.set_spec, version.set_spec)
        named = "; ".join(
            f"{change.where} ({change.field})" if change.field else change.where for change in changes[:CHANGES_NAMED]
        )
        if len(changes) > CHANGES_NAMED:
            named += "; …"
        admin_messages.success(
            request,
            _(
                "Đã tạo phiên bản %(number)s của bộ tiêu chí “%(name)s”: %(count)s thay đổi so với phiên bản "
                "%(previous)s (%(changes)s)."
            )
            % {
                "number": version.number,
                "name": page.title,
                "count": len(changes),
                "previous": previous.number,
                "changes": named,
            },
            buttons=[
                admin_messages.button(
                    f"{versions_url}?from={previous.number}&to={version.number}", _("Xem các thay đổi")
                )
            ],
        )
    incomplete = version.criteria_without_indicators
    if incomplete:
        admin_messages.warning(
            request,
            _(
                "Phiên bản %(number)s có %(count)s tiêu chí chưa có chỉ tiêu (%(criteria)s): chưa mở được đợt đánh giá "
                "với phiên bản này cho đến khi nhập đủ chỉ tiêu và phát hành lại bộ."
            )
            % {"number": version.number, "count": len(incomplete), "criteria": _criteria_list(incomplete)},
        )
    return None


def after_publish_criterion(request, page: CriterionPage):
    """A criterion published alone is not in any version yet: say that the set must be published again."""
    set_page = page.get_parent().specific
    admin_messages.info(
        request,
        _(
            "Tiêu chí đã phát hành nhưng chưa thuộc phiên bản nào: phát hành lại bộ “%(name)s” để tạo phiên bản mới "
            "cho các đợt đánh giá."
        )
        % {"name": set_page.title},
        buttons=[admin_messages.button(reverse("wagtailadmin_pages:edit", args=[set_page.pk]), _("Mở bộ tiêu chí"))],
    )
