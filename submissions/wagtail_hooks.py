"""Admin of evaluation rounds for the office. Every wagtail-modeladmin import lives in this file.

Rounds are created and edited (while still drafts) through the modeladmin form; their status changes
only through the actions below (open, close, reopen, archive), which call the services.
"""

import datetime
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.components import Component
from wagtail_modeladmin.helpers import AdminURLHelper, ButtonHelper, PermissionHelper
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register
from wagtail_modeladmin.views import EditView, IndexView, InspectView

from cms.directory.models import Role, Unit, UnitLevel
from cms.directory.selectors import units_in_user_office_scope
from criteria_pages.models import CriteriaSetVersion, EvaluationFormPage

from . import exports, selectors, services, statistics
from .exports import ExportKind
from .models import Round, RoundStatus
from .statistics import Basis

#: Changing a round (its draft fields, and its status through the actions) needs this permission;
#: office editors hold it through their role group, reviewers and appraisers only view rounds.
CHANGE_ROUND = "submissions.change_round"
#: Reading a round's statistics and exports (office editors: within their province).
VIEW_ROUND = statistics.VIEW_ROUND
VIEW_AUDIT = "submissions.view_auditentry"
SUBMISSIONS_PER_PAGE = 100
DATE_FORMAT = "%d/%m/%Y"
#: What the admin's date picker sends (WAGTAIL_DATE_FORMAT) and ISO. Django's defaults for "vi" read
#: "01/07/2027" as 7 January, so the date fields are given their formats explicitly.
DATE_INPUT_FORMATS = [DATE_FORMAT, "%Y-%m-%d"]
DATE_FIELDS = ("period_start", "period_end", "opens_on", "due_on")

ROLE_LABELS = {**dict(Role.choices), "superuser": gettext_lazy("Quản trị hệ thống")}

round_urls = AdminURLHelper(Round)


def _inspect_url(round_: Round) -> str:
    return round_urls.get_action_url("inspect", round_.pk)


def _unit_label(unit: Unit) -> str:
    indent = "— " * (unit.depth - 1)
    return f"{indent}{unit.name} ({unit.code}, {unit.edition.date:%d/%m/%Y})"


def _commune_label(unit: Unit) -> str:
    parent = f" – {unit.parent.name}" if unit.parent_id else ""
    return f"{unit.name}{parent} ({unit.code}, {unit.edition.date:%d/%m/%Y})"


def _version_label(version: CriteriaSetVersion) -> str:
    return f"{version.set_page.title} – v{version.number}"


def _form_page_label(page: EvaluationFormPage) -> str:
    return f"{page.title} ({page.criteria_set.title})"


# --- the create / edit form -------------------------------------------------------------------------


class RoundForm(WagtailAdminModelForm):
    """Limits every choice to what makes sense for the user and checks the round as a whole."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        instance = self.instance
        for name in DATE_FIELDS:
            if name in self.fields:
                self.fields[name].input_formats = DATE_INPUT_FORMATS
        units = units_in_user_office_scope(for_user) if for_user else Unit.objects.all()
        units = units.select_related("edition").order_by("-edition__date", "path")
        self._limit("scope_root", units.filter(level__in=[UnitLevel.PROVINCE, UnitLevel.DISTRICT]), _unit_label)
        communes = units.filter(level=UnitLevel.COMMUNE).select_related("parent")
        self._limit("scope_units", communes, _commune_label)
        live_sets = Q(set_page__live=True)
        if instance.criteria_version_id:
            live_sets |= Q(pk=instance.criteria_version_id)
        self._limit(
            "criteria_version",
            CriteriaSetVersion.objects.filter(live_sets)
            .select_related("set_page")
            .defer("spec")
            .order_by("set_page__title", "-number"),
            _version_label,
        )
        live_forms = Q(live=True)
        if instance.form_page_id:
            live_forms |= Q(pk=instance.form_page_id)
        self._limit(
            "form_page",
            EvaluationFormPage.objects.filter(live_forms).select_related("criteria_set").order_by("title"),
            _form_page_label,
        )
        self._limit("prefill_from", Round.objects.exclude(status=RoundStatus.DRAFT).exclude(pk=instance.pk), str)

    def _limit(self, name, queryset, label):
        if name in self.fields:
            self.fields[name].queryset = queryset
            self.fields[name].label_from_instance = label

    def clean(self):
        cleaned = super().clean()
        period_start, period_end = cleaned.get("period_start"), cleaned.get("period_end")
        if period_start and period_end and period_end < period_start:
            self.add_error("period_end", _("Kỳ đánh giá phải kết thúc vào hoặc sau ngày bắt đầu."))
        opens_on, due_on = cleaned.get("opens_on"), cleaned.get("due_on")
        if opens_on and due_on and due_on < opens_on:
            self.add_error("due_on", _("Hạn nộp không được trước ngày mở đợt."))
        self._clean_scope(cleaned)
        version, form_page = cleaned.get("criteria_version"), cleaned.get("form_page")
        if version and form_page and form_page.criteria_set_id != version.set_page_id:
            self.add_error(
                "form_page",
                _("Biểu mẫu “%(form)s” thuộc bộ tiêu chí khác với phiên bản đã chọn (%(version)s).")
                % {"form": form_page.title, "version": _version_label(version)},
            )
        instance = self.instance
        if (
            instance.pk
            and instance.status != RoundStatus.DRAFT
            and version
            and version.pk != instance.criteria_version_id
        ):
            self.add_error(
                "criteria_version",
                _("Đợt đã mở giữ phiên bản bộ tiêu chí đã dùng khi mở; không thể đổi phiên bản."),
            )
        return cleaned

    def _clean_scope(self, cleaned):
        if "scope_root" in self.errors or "scope_units" in self.errors:
            return
        root, units = cleaned.get("scope_root"), cleaned.get("scope_units")
        if root is None and not units:
            self.add_error("scope_root", _("Chọn phạm vi của đợt: một tỉnh/huyện, hoặc danh sách xã."))
        elif root is not None and units:
            # The scope selector only uses the list when no province/district is chosen.
            self.add_error(
                "scope_units",
                _("Chọn phạm vi theo tỉnh/huyện hoặc theo danh sách xã, không chọn cả hai."),
            )

    def save(self, commit=True):
        if self.instance.pk is None and self.for_user is not None:
            self.instance.created_by = self.for_user
        return super().save(commit=commit)

    class Meta:
        model = Round
        fields = [
            "name",
            "kind",
            "period_start",
            "period_end",
            "criteria_version",
            "form_page",
            "scope_root",
            "scope_unit_types",
            "scope_units",
            "opens_on",
            "due_on",
            "prefill_from",
        ]


# --- the actions that change a round's status -------------------------------------------------------


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Lý do mở lại"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Được ghi vào nhật ký của đợt."),
        error_messages={"required": gettext_lazy("Cần ghi lý do mở lại đợt.")},
    )


def _open(round_: Round, user, data: dict) -> str:
    created = services.round_open(round_=round_, user=user)
    return _("Đã mở đợt “%(name)s”: tạo %(count)s hồ sơ cho các xã trong phạm vi.") % {
        "name": round_.name,
        "count": created,
    }


def _close(round_: Round, user, data: dict) -> str:
    services.round_close(round_=round_, user=user)
    return _("Đã đóng đợt “%(name)s”: mọi hồ sơ của đợt bị khoá.") % {"name": round_.name}


def _reopen(round_: Round, user, data: dict) -> str:
    services.round_reopen(round_=round_, reason=data["reason"], user=user)
    return _("Đã mở lại đợt “%(name)s”.") % {"name": round_.name}


def _archive(round_: Round, user, data: dict) -> str:
    services.round_archive(round_=round_, user=user)
    return _("Đã lưu trữ đợt “%(name)s”.") % {"name": round_.name}


@dataclass(frozen=True)
class RoundAction:
    name: str
    label: str
    question: str
    shown_for: tuple[str, ...]
    run: Callable[[Round, object, dict], str]
    form_class: type[forms.Form] | None = None

    @property
    def url_name(self) -> str:
        return f"submissions_round_{self.name}"

    def url(self, round_: Round) -> str:
        return reverse(self.url_name, args=[round_.pk])


ROUND_ACTIONS = {
    action.name: action
    for action in (
        RoundAction(
            "open",
            gettext_lazy("Mở đợt"),
            gettext_lazy("Mở đợt: mỗi xã trong phạm vi nhận một hồ sơ để điền."),
            (RoundStatus.DRAFT,),
            _open,
        ),
        RoundAction(
            "close",
            gettext_lazy("Đóng đợt"),
            gettext_lazy("Đóng đợt: mọi hồ sơ bị khoá, không sửa giá trị, minh chứng hay kết quả được nữa."),
            (RoundStatus.OPEN,),
            _close,
        ),
        RoundAction(
            "reopen",
            gettext_lazy("Mở lại"),
            gettext_lazy("Mở lại đợt đã đóng: các xã lại sửa được hồ sơ chưa nộp. Lý do được ghi vào nhật ký."),
            (RoundStatus.CLOSED,),
            _reopen,
            ReopenForm,
        ),
        RoundAction(
            "archive",
            gettext_lazy("Lưu trữ"),
            gettext_lazy("Lưu trữ đợt đã đóng: đợt chỉ còn để tra cứu, không mở lại được."),
            (RoundStatus.CLOSED,),
            _archive,
        ),
    )
}


@require_http_methods(["GET", "POST"])
def round_action(request, pk: int, action: str):
    """GET: a confirmation page; POST (with CSRF): run the action through its service."""
    if not request.user.has_perm(CHANGE_ROUND):
        raise PermissionDenied
    spec = ROUND_ACTIONS[action]
    round_ = get_object_or_404(selectors.rounds_visible_to(request.user), pk=pk)
    form = spec.form_class(request.POST or None) if spec.form_class else None
    if request.method == "POST":
        if form is None or form.is_valid():
            try:
                message = spec.run(round_, request.user, form.cleaned_data if form else {})
            except services.SubmissionError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, message)
            return redirect(_inspect_url(round_))
        messages.error(request, _("Chưa thực hiện: hãy sửa các lỗi dưới đây."))
    context = {
        "round": round_,
        "action": spec,
        "form": form,
        "inspect_url": _inspect_url(round_),
        "submission_count": round_.submissions.count(),
        "scope_count": selectors.units_in_round_scope(round_).count() if action == "open" else None,
    }
    return render(request, "submissions/admin/round_action.html", context)


@hooks.register("register_admin_urls")
def register_round_action_urls():
    return [
        path(f"submissions/round/<int:pk>/{name}/", round_action, {"action": name}, name=ROUND_ACTIONS[name].url_name)
        for name in ROUND_ACTIONS
    ]


# --- exports of a round ------------------------------------------------------------------------------

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_URL_NAME = "submissions_round_export"
#: The exports of a whole round offered on its page (the unit report is offered per submission).
ROUND_EXPORTS = (ExportKind.SUMMARY, ExportKind.STATISTICS, ExportKind.DEPARTMENTS)


def export_url(round_: Round, kind: str, **query: str) -> str:
    url = reverse(EXPORT_URL_NAME, args=[round_.pk, kind])
    return f"{url}?{urlencode(query)}" if query else url


def _unit_param(round_: Round, request, name: str):
    code = request.GET.get(name, "").strip()
    if not code:
        return None
    unit = statistics.unit_in_round(round_, code)
    if unit is None:
        raise Http404(_("Không có đơn vị này trong đợt."))
    return unit


@require_GET
def round_export(request, pk: int, kind: str):
    """Download one export of a round as xlsx: superusers anything, office editors their province only.

    The file is written (constant memory) to a temporary file and streamed from there.
    """
    if not request.user.has_perm(VIEW_ROUND):
        raise PermissionDenied
    round_ = get_object_or_404(selectors.rounds_visible_to(request.user), pk=pk)
    if kind not in ExportKind.values:
        raise Http404
    scope = statistics.office_scope(request.user, _unit_param(round_, request, "parent"))
    if not scope.allowed:
        raise PermissionDenied
    unit = _unit_param(round_, request, "unit") if kind == ExportKind.UNIT else None
    if unit is not None and scope.parent is not None:
        if unit.edition_id != scope.parent.edition_id or not unit.path.startswith(scope.parent.path):
            raise Http404(_("Không có đơn vị này trong phạm vi của bạn."))
    basis = request.GET.get("basis", Basis.ALL)
    if basis not in Basis.values:
        basis = Basis.ALL
    output = tempfile.TemporaryFile()  # FileResponse closes it
    try:
        exports.export_round(round_, kind, output, parent=scope.parent, unit=unit, basis=basis)
    except exports.ExportError as error:
        output.close()
        messages.error(request, error.message)
        return redirect(_inspect_url(round_))
    output.seek(0)
    filename = exports.export_filename(round_, kind, unit=unit, parent=scope.parent)
    return FileResponse(output, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)


@hooks.register("register_admin_urls")
def register_round_export_urls():
    return [path("submissions/round/<int:pk>/export/<slug:kind>/", round_export, name=EXPORT_URL_NAME)]


def round_statistics_context(user, round_: Round) -> dict:
    """What the round's page shows of its statistics and exports (nothing for users out of scope)."""
    scope = statistics.office_scope(user)
    if not scope.allowed:
        return {}
    summary = None
    if round_.status != RoundStatus.DRAFT:
        summary = statistics.round_summary(round_, parent=scope.parent)
    return {
        "statistics_scope": scope.parent,
        "statistics_summary": summary,
        "statistics_sentence": exports.statistics_sentence(summary, round_.spec) if summary else "",
        "export_links": [(ExportKind(kind).label, export_url(round_, kind)) for kind in ROUND_EXPORTS],
        "unit_export_url": export_url(round_, ExportKind.UNIT),
    }


# --- the dashboard: progress of the open round ------------------------------------------------------


class RoundProgressPanel(Component):
    """The open round in the office's province: progress, bottlenecks by department, and a bar chart
    (plain HTML/CSS, no JavaScript) next to a table of the same numbers."""

    name = "ntm_round_progress"
    template_name = "submissions/admin/dashboard_round_progress.html"
    order = 50

    def __init__(self, round_: Round, parent):
        self.round = round_
        self.parent = parent

    def get_context_data(self, parent_context=None):
        summary = statistics.round_summary(self.round, parent=self.parent)
        departments = statistics.appraisal_progress(self.round, parent=self.parent)
        whole = summary.units_in_scope
        steps = [
            (_("Đơn vị trong phạm vi"), summary.units_in_scope),
            (_("Đã nộp hồ sơ"), summary.units_submitted),
            (_("Đã được công nhận"), summary.units_recognised),
            (_("Đạt đủ %(total)s/%(total)s tiêu chí") % {"total": summary.criteria_count}, summary.units_meeting_all),
            (_("Đạt chuẩn"), summary.units_reaching_standard),
        ]
        bars = [
            {"label": label, "value": value, "percent": (100 * value / whole) if whole else 0} for label, value in steps
        ]
        return {
            "round": self.round,
            "scope": self.parent,
            "summary": summary,
            "sentence": exports.statistics_sentence(summary, self.round.spec),
            "bars": bars,
            "bottlenecks": [item for item in departments if item.pending or item.overdue],
            "stage_days": statistics.stage_days(),
            "inspect_url": _inspect_url(self.round),
        }


@hooks.register("construct_homepage_panels")
def add_round_progress_panel(request, panels):
    found = statistics.dashboard_round(request.user)
    if found is not None:
        panels.insert(0, RoundProgressPanel(*found))


# --- modeladmin -------------------------------------------------------------------------------------


class RoundPermissionHelper(PermissionHelper):
    """Only drafts are edited (or deleted); drafts are seen only by those who may change rounds."""

    def user_can_edit_obj(self, user, obj):
        return obj.status == RoundStatus.DRAFT and super().user_can_edit_obj(user, obj)

    def user_can_delete_obj(self, user, obj):
        return obj.status == RoundStatus.DRAFT and super().user_can_delete_obj(user, obj)

    def user_can_inspect_obj(self, user, obj):
        visible = obj.status != RoundStatus.DRAFT or user.has_perm(CHANGE_ROUND)
        return visible and super().user_can_inspect_obj(user, obj)


class RoundButtonHelper(ButtonHelper):
    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        buttons = super().get_buttons_for_obj(obj, exclude, classnames_add, classnames_exclude)
        if not self.request.user.has_perm(CHANGE_ROUND):
            return buttons
        classname = self.finalise_classname(["button-secondary", *(classnames_add or [])], classnames_exclude)
        for action in ROUND_ACTIONS.values():
            if obj.status in action.shown_for:
                buttons.append(
                    {"url": action.url(obj), "label": action.label, "classname": classname, "title": action.question}
                )
        return buttons


class RoundEditView(EditView):
    def dispatch(self, request, *args, **kwargs):
        if self.instance.status != RoundStatus.DRAFT and request.user.has_perm(CHANGE_ROUND):
            return self._refuse(request)
        return super().dispatch(request, *args, **kwargs)

    def _refuse(self, request):
        messages.error(
            request,
            _(
                "Chỉ sửa được đợt đang chuẩn bị. Đợt “%(name)s” đang ở trạng thái “%(status)s”: trạng thái chỉ "
                "đổi qua các nút Mở đợt, Đóng đợt, Mở lại, Lưu trữ."
            )
            % {"name": self.instance.name, "status": self.instance.get_status_display()},
        )
        return redirect(_inspect_url(self.instance))

    def form_valid(self, form):
        # The round may have been opened since the form was loaded: check again under a row lock.
        with transaction.atomic():
            status = Round.objects.select_for_update().values_list("status", flat=True).get(pk=self.instance.pk)
            if status != RoundStatus.DRAFT:
                self.instance.status = status
                return self._refuse(self.request)
            return super().form_valid(form)


class RoundIndexView(IndexView):
    #: Counts exported as numbers: modeladmin would export a count of 0 as the "empty" dash.
    count_columns = ("submission_total", "submission_handed_in")

    def to_row_dict(self, item):
        row = super().to_row_dict(item)
        for name in self.count_columns:
            if name in row:
                row[name] = getattr(item, name)
        return row


class RoundInspectView(InspectView):
    page_title = gettext_lazy("Đợt đánh giá")
    extra_labels = {"created_by": gettext_lazy("người tạo")}

    def get_meta_title(self):
        return self.instance.name

    def get_field_label(self, field_name, field=None):
        return self.extra_labels.get(field_name) or super().get_field_label(field_name, field)

    def get_field_display_value(self, field_name, field=None):
        value = super().get_field_display_value(field_name, field)
        if isinstance(value, datetime.date):
            return value.strftime(DATE_FORMAT)
        return value

    def get_context_data(self, **kwargs):
        user = self.request.user
        submissions = Paginator(selectors.round_submissions_visible_to(user, self.instance), SUBMISSIONS_PER_PAGE)
        audit = None
        if user.has_perm(VIEW_AUDIT):
            audit = [
                (entry, ROLE_LABELS.get(entry.role, entry.role))
                for entry in selectors.round_audit_entries(self.instance)
            ]
        return super().get_context_data(
            submissions=submissions.get_page(self.request.GET.get("p")),
            audit_rows=audit,
            **round_statistics_context(user, self.instance),
            **kwargs,
        )


class RoundAdmin(ModelAdmin):
    model = Round
    menu_label = gettext_lazy("Đợt đánh giá")
    menu_icon = "date"
    permission_helper_class = RoundPermissionHelper
    button_helper_class = RoundButtonHelper
    index_view_class = RoundIndexView
    edit_view_class = RoundEditView
    inspect_view_enabled = True
    inspect_view_class = RoundInspectView
    inspect_template_name = "submissions/admin/round_inspect.html"
    inspect_view_fields = (
        "name",
        "kind",
        "status",
        "period_start",
        "period_end",
        "criteria_version",
        "form_page",
        "scope_root",
        "scope_unit_types",
        "scope_units",
        "opens_on",
        "due_on",
        "prefill_from",
        "created_by",
    )
    list_display = (
        "name",
        "kind",
        "status",
        "criteria_version_label",
        "opens_on_display",
        "due_on_display",
        "submission_total",
        "submission_handed_in",
    )
    list_filter = ("status", "kind")
    search_fields = ("name",)
    list_per_page = 50
    list_export = (
        "name",
        "kind_label",
        "status_label",
        "criteria_version_label",
        "period_start",
        "period_end",
        "opens_on",
        "due_on",
        "submission_total",
        "submission_handed_in",
    )
    export_filename = "dot-danh-gia"
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldPanel("name"),
                    FieldPanel("kind"),
                    FieldRowPanel([FieldPanel("period_start"), FieldPanel("period_end")]),
                ],
                heading=gettext_lazy("Đợt"),
            ),
            MultiFieldPanel(
                [FieldPanel("criteria_version"), FieldPanel("form_page", widget=forms.Select)],
                heading=gettext_lazy("Bộ tiêu chí và biểu mẫu"),
            ),
            MultiFieldPanel(
                [FieldPanel("scope_root"), FieldPanel("scope_unit_types"), FieldPanel("scope_units")],
                heading=gettext_lazy("Phạm vi"),
            ),
            MultiFieldPanel(
                [FieldRowPanel([FieldPanel("opens_on"), FieldPanel("due_on")]), FieldPanel("prefill_from")],
                heading=gettext_lazy("Thời hạn"),
            ),
        ],
        base_form_class=RoundForm,
    )

    def get_queryset(self, request):
        return selectors.rounds_with_counts(request.user)

    def criteria_version_label(self, obj):
        return _version_label(obj.criteria_version)

    criteria_version_label.short_description = gettext_lazy("phiên bản bộ tiêu chí")

    def kind_label(self, obj):
        return obj.get_kind_display()

    kind_label.short_description = gettext_lazy("loại đợt")

    def status_label(self, obj):
        return obj.get_status_display()

    status_label.short_description = gettext_lazy("trạng thái")

    def opens_on_display(self, obj):
        return obj.opens_on.strftime(DATE_FORMAT)

    opens_on_display.short_description = gettext_lazy("ngày mở")
    opens_on_display.admin_order_field = "opens_on"

    def due_on_display(self, obj):
        return obj.due_on.strftime(DATE_FORMAT)

    due_on_display.short_description = gettext_lazy("hạn nộp")
    due_on_display.admin_order_field = "due_on"

    def submission_total(self, obj):
        return obj.submission_total

    submission_total.short_description = gettext_lazy("số hồ sơ")
    submission_total.admin_order_field = "submission_total"

    def submission_handed_in(self, obj):
        return obj.submission_handed_in

    submission_handed_in.short_description = gettext_lazy("đã nộp")
    submission_handed_in.admin_order_field = "submission_handed_in"


class EvaluationGroup(ModelAdminGroup):
    menu_label = gettext_lazy("Đánh giá")
    menu_icon = "tasks"
    menu_order = 200
    items = (RoundAdmin,)


modeladmin_register(EvaluationGroup)
