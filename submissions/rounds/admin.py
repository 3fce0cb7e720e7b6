"""wagtail-modeladmin views of rounds (every modeladmin import of the app lives here).

Rounds are created and edited (while still drafts) through the modeladmin form; their status changes
only through the actions in :mod:`submissions.rounds.views`, which call the services.
"""

import datetime

from django import forms
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.admin import messages
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail_modeladmin.helpers import ButtonHelper, PermissionHelper
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup
from wagtail_modeladmin.views import EditView, IndexView, InspectView

from cms.directory.admin import ScopedHistoryView, ids_once
from cms.directory.models import Role
from cms.spreadsheets import SafeSpreadsheetExportMixin
from submissions import access
from submissions.models import Round, RoundStatus
from submissions.rounds import selectors

from .forms import DATE_FORMAT, RoundForm, version_label
from .views import CHANGE_ROUND, ROUND_ACTIONS, inspect_url, round_statistics_context

VIEW_AUDIT = "audit.view_auditentry"
SUBMISSIONS_PER_PAGE = 100

ROLE_LABELS = {**dict(Role.choices), "superuser": gettext_lazy("Quản trị hệ thống")}


class RoundPermissionHelper(PermissionHelper):
    """A round is reached by id only within the user's province (``access``); only drafts are edited or deleted."""

    def _reachable(self, user, obj) -> bool:
        return obj.pk in ids_once(user, "_ntm_admin_rounds", lambda: access.rounds_in_admin_for(user))

    def _changeable(self, user, obj) -> bool:
        return obj.pk in ids_once(user, "_ntm_changeable_rounds", lambda: access.rounds_changeable_by(user))

    def user_can_edit_obj(self, user, obj):
        return obj.status == RoundStatus.DRAFT and super().user_can_edit_obj(user, obj) and self._changeable(user, obj)

    def user_can_delete_obj(self, user, obj):
        return (
            obj.status == RoundStatus.DRAFT and super().user_can_delete_obj(user, obj) and self._changeable(user, obj)
        )

    def user_can_inspect_obj(self, user, obj):
        return super().user_can_inspect_obj(user, obj) and self._reachable(user, obj)

    def user_can_read_obj(self, user, obj):
        return self.user_has_any_permissions(user) and self._reachable(user, obj)


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
        # Outside the user's province the permission helper refuses (as for any denied admin page); inside it,
        # a round past the draft stage is explained rather than refused.
        changeable = access.rounds_changeable_by(request.user).filter(pk=self.instance.pk).exists()
        if self.instance.status != RoundStatus.DRAFT and changeable:
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
        return redirect(inspect_url(self.instance))

    def form_valid(self, form):
        # The round may have been opened since the form was loaded: check again under a row lock.
        with transaction.atomic():
            status = Round.objects.select_for_update().values_list("status", flat=True).get(pk=self.instance.pk)
            if status != RoundStatus.DRAFT:
                self.instance.status = status
                return self._refuse(self.request)
            return super().form_valid(form)


class RoundIndexView(SafeSpreadsheetExportMixin, IndexView):
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
        visible = (
            access.round_submissions_visible_to(user, self.instance)
            .select_related("product__producer")  # an OCOP dossier is named by its product and producer
            .order_by("unit__path", "product__search_name", "pk")
        )
        submissions = Paginator(visible, SUBMISSIONS_PER_PAGE)
        shown = submissions.get_page(self.request.GET.get("p"))
        audit = None
        if user.has_perm(VIEW_AUDIT):
            audit = [
                (entry, ROLE_LABELS.get(entry.role, entry.role))
                for entry in selectors.round_audit_entries(self.instance)
            ]
        return super().get_context_data(
            submissions=shown,
            reviewable_ids=selectors.reviewable_ids(user, [submission.pk for submission in shown]),
            audit_rows=audit,
            **round_statistics_context(user, self.instance),
            **kwargs,
        )


class RoundAdmin(ModelAdmin):
    history_view_class = ScopedHistoryView
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
        "subject",
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
    #: Few, short columns so the list reads at 1280 px beside the filters (the kind is a filter and in the export;
    #: widths in round_list.css).
    list_display = (
        "name",
        "status",
        "criteria_version_label",
        "period_display",
        "submission_progress",
    )
    index_view_extra_css = ["submissions/css/round_list.css"]
    list_filter = ("status", "kind", "subject")
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
        return version_label(obj.criteria_version)

    criteria_version_label.short_description = gettext_lazy("bộ tiêu chí")

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

    def period_display(self, obj):
        """ "01/07/2027 – 31/07/2027": from the opening day to the due date."""
        return f"{obj.opens_on.strftime(DATE_FORMAT)} – {obj.due_on.strftime(DATE_FORMAT)}"

    period_display.short_description = gettext_lazy("mở – hạn nộp")
    period_display.admin_order_field = "due_on"

    def submission_progress(self, obj):
        """ "12/152": handed in of all submissions."""
        return f"{obj.submission_handed_in}/{obj.submission_total}"

    submission_progress.short_description = gettext_lazy("đã nộp")
    submission_progress.admin_order_field = "submission_handed_in"

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
