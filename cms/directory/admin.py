"""wagtail-modeladmin views of the directory (every modeladmin import of the app lives here and in the hooks)."""

from django.contrib.admin import SimpleListFilter
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, ProtectedError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from wagtail.admin import messages
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup
from wagtail_modeladmin.views import DeleteView, HistoryView, IndexView, InspectView

from cms.audit.history import history_url
from cms.spreadsheets import SafeSpreadsheetExportMixin

from . import access, selectors, services
from .forms import DepartmentForm, MembershipForm
from .models import Classification, ClassificationValue, Department, Edition, Membership, Unit


class ProvinceFilter(SimpleListFilter):
    title = _("tỉnh")
    parameter_name = "province"

    def lookups(self, request, model_admin):
        return [
            (unit.pk, f"{unit.name} ({unit.edition.date:%d/%m/%Y})")
            for unit in selectors.provinces().select_related("edition").order_by("-edition__date", "code")
        ]

    def queryset(self, request, queryset):
        province = Unit.objects.filter(pk=self.value()).first() if self.value() else None
        if province is None:
            return queryset
        return queryset.within(province)


class ClassificationValueFilter(SimpleListFilter):
    title = _("phân loại")
    parameter_name = "classification_value"

    def lookups(self, request, model_admin):
        return [(value.pk, str(value)) for value in ClassificationValue.objects.select_related("classification")]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(classifications__value_id=self.value())
        return queryset


class ParentFilter(SimpleListFilter):
    """Tree navigation: the units directly under one unit (reached from the “Đơn vị trực thuộc” links)."""

    title = _("trực thuộc")
    parameter_name = "parent"

    def lookups(self, request, model_admin):
        parent = Unit.objects.filter(pk=self.value()).first() if self.value() else None
        return [(parent.pk, str(parent))] if parent else []

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(parent_id=self.value())
        return queryset


class SafeIndexView(SafeSpreadsheetExportMixin, IndexView):
    """The directory's lists, whose CSV and XLSX exports never run a cell as a formula."""


class UnitIndexView(SafeIndexView):
    def get_search_results(self, request, queryset, search_term):
        return selectors.units_search(queryset, search_term)


def ids_once(user, key: str, make_queryset) -> set:
    """The ids of ``make_queryset()``, read once per request (kept on the user object), not once per row of a list."""
    ids = getattr(user, key, None)
    if ids is None:
        ids = set(make_queryset().values_list("pk", flat=True))
        setattr(user, key, ids)
    return ids


class ScopedPermissionHelper(PermissionHelper):
    """Objects reached by id (edit, delete, inspect) only inside the user's province: ``scoped(user)`` is the
    queryset of what the user manages (:mod:`cms.directory.access`)."""

    scoped = None

    def _inside(self, user, obj) -> bool:
        if self.scoped is None or user.is_superuser:
            return True
        scoped = type(self).scoped
        return obj.pk in ids_once(user, f"_ntm_scoped_{self.model._meta.label_lower}", lambda: scoped(user))

    def user_can_edit_obj(self, user, obj):
        return super().user_can_edit_obj(user, obj) and self._inside(user, obj)

    def user_can_delete_obj(self, user, obj):
        return super().user_can_delete_obj(user, obj) and self._inside(user, obj)

    def user_can_inspect_obj(self, user, obj):
        return super().user_can_inspect_obj(user, obj) and self._inside(user, obj)

    def user_can_read_obj(self, user, obj):
        return self.user_has_any_permissions(user) and self._inside(user, obj)


class ScopedHistoryView(HistoryView):
    """An object's history only for those who may read the object (the permission helper's
    ``user_can_read_obj``): wagtail-modeladmin's own history view asks no permission of the object."""

    def dispatch(self, request, *args, **kwargs):
        helper = self.permission_helper
        can_read = getattr(helper, "user_can_read_obj", None)
        allowed = can_read(request.user, self.instance) if can_read else helper.user_has_any_permissions(request.user)
        if not allowed:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class SafeDeleteView(DeleteView):
    """Deleting an object others still refer to explains why instead of failing (modeladmin's own page
    breaks on relations without a reverse name)."""

    def post(self, request, *args, **kwargs):
        try:
            with transaction.atomic():
                self.delete_instance()
        except ProtectedError:
            messages.error(
                request,
                _("Không xoá được “%(object)s”: vẫn còn dữ liệu khác dùng đến nó.") % {"object": self.instance},
            )
            return redirect(self.index_url)
        messages.success(request, _("Đã xoá “%(object)s”.") % {"object": self.instance})
        return redirect(self.index_url)


class UnitInspectView(InspectView):
    """A unit's fields and its history: the units it was formed from, and the links still waiting for the
    earlier list (“mã 23737 (danh mục chưa nhập)”)."""

    def get_fields_dict(self):
        return [*super().get_fields_dict(), {"label": _("hình thành từ"), "value": unit_history_text(self.instance)}]


def unit_history_text(unit: Unit) -> str:
    kinds = {link.predecessor_id: link.get_kind_display() for link in unit.predecessor_links.all()}
    parts = [
        f"{before.name} ({before.code}, {before.edition.date:%d/%m/%Y}, {kinds.get(before.pk, '')})"
        for before in selectors.unit_history(unit)
    ]
    for link in selectors.unit_pending_history(unit):
        if link.expected_edition is None:
            parts.append(
                _("mã %(code)s (danh mục chưa nhập, %(kind)s)")
                % {"code": link.predecessor_code, "kind": link.get_kind_display()}
            )
        else:
            parts.append(
                _("mã %(code)s (chưa có trong danh mục %(date)s, %(kind)s)")
                % {
                    "code": link.predecessor_code,
                    "date": link.expected_edition.date.strftime("%d/%m/%Y"),
                    "kind": link.get_kind_display(),
                }
            )
    return "; ".join(str(part) for part in parts) or "—"


class ImportedOnlyPermissionHelper(PermissionHelper):
    """Units and editions come from official lists through the importer; the admin only corrects them."""

    def user_can_create(self, user):
        return False

    def user_can_delete_obj(self, user, obj):
        return False


class EditionPermissionHelper(ImportedOnlyPermissionHelper):
    """Editions are national: read by office editors, corrected by superusers."""

    def user_can_edit_obj(self, user, obj):
        return user.is_superuser


class UnitPermissionHelper(ImportedOnlyPermissionHelper):
    """Units are read by everyone with the admin, corrected only inside the editor's province."""

    def user_can_edit_obj(self, user, obj):
        return super().user_can_edit_obj(user, obj) and access.may_manage_unit(user, obj)

    def user_can_read_obj(self, user, obj):
        return self.user_has_any_permissions(user) and access.may_read_unit(user, obj)

    def user_can_inspect_obj(self, user, obj):
        return super().user_can_inspect_obj(user, obj) and access.may_read_unit(user, obj)


class DepartmentPermissionHelper(ScopedPermissionHelper):
    scoped = access.departments_managed_by


class MembershipPermissionHelper(ScopedPermissionHelper):
    scoped = access.memberships_managed_by


class UnitAdmin(ModelAdmin):
    history_view_class = ScopedHistoryView
    model = Unit
    menu_label = _("Đơn vị hành chính")
    menu_icon = "site"
    index_view_class = UnitIndexView
    inspect_view_class = UnitInspectView
    permission_helper_class = UnitPermissionHelper
    list_display = ("code", "name", "unit_type", "level", "parent", "edition_date", "children_link")
    list_filter = ("edition", "level", "unit_type", ProvinceFilter, ClassificationValueFilter, ParentFilter)
    search_fields = ("search_name", "code")
    list_per_page = 50
    inspect_view_enabled = True
    inspect_view_fields = ("code", "name", "unit_type", "level", "parent", "edition", "valid_from", "valid_to")
    list_export = ("code", "name", "unit_type", "level", "parent_code", "edition_date", "classification_summary")
    export_filename = "don-vi-hanh-chinh"

    def get_queryset(self, request):
        return selectors.units_with_details().annotate(has_children=Exists(Unit.objects.filter(parent=OuterRef("pk"))))

    @staticmethod
    def edition_date(obj):
        return obj.edition.date.strftime("%d/%m/%Y")

    edition_date.short_description = _("danh mục")

    def children_link(self, obj):
        if not obj.has_children:
            return ""
        return format_html('<a href="{}?parent={}">{}</a>', self.url_helper.index_url, obj.pk, _("Đơn vị trực thuộc"))

    children_link.short_description = _("đơn vị trực thuộc")


class EditionAdmin(ModelAdmin):
    history_view_class = ScopedHistoryView
    model = Edition
    index_view_class = SafeIndexView
    menu_label = _("Các danh mục ĐVHC")
    menu_icon = "date"
    permission_helper_class = EditionPermissionHelper
    list_display = ("name", "date", "tiers", "valid_to")
    list_export = ("name", "date", "tiers", "valid_to", "source")
    panels = [FieldPanel("name"), FieldPanel("source")]


class ClassificationAdmin(ModelAdmin):
    history_view_class = ScopedHistoryView
    delete_view_class = SafeDeleteView
    model = Classification
    index_view_class = SafeIndexView
    menu_label = _("Phân loại đơn vị")
    menu_icon = "tag"
    list_display = ("name", "code", "value_list", "legal_basis_text", "import_link")
    list_export = ("code", "name", "description", "decision_number", "decision_date", "legal_basis", "value_list")
    search_fields = ("name", "code", "decision_number")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("values")

    @staticmethod
    def value_list(obj):
        return ", ".join(f"{value.code} – {value.name}" for value in obj.values.all())

    value_list.short_description = _("các giá trị")

    @staticmethod
    def legal_basis_text(obj):
        if not obj.decision_number:
            return obj.legal_basis or _("chưa ghi")
        if obj.decision_date:
            return _("QĐ %(number)s ngày %(date)s") % {
                "number": obj.decision_number,
                "date": obj.decision_date.strftime("%d/%m/%Y"),
            }
        return _("QĐ %(number)s") % {"number": obj.decision_number}

    legal_basis_text.short_description = _("căn cứ pháp lý")

    def import_link(self, obj):  # a method, not a staticmethod: modeladmin reads short_description off it
        return format_html(
            '<a href="{}?classification={}">{}</a>',
            reverse("directory_classification_import"),
            obj.code,
            _("Nhập từ tệp"),
        )

    import_link.short_description = _("nhập hàng loạt")


class DepartmentAdmin(ModelAdmin):
    history_view_class = ScopedHistoryView
    delete_view_class = SafeDeleteView
    model = Department
    index_view_class = SafeIndexView
    menu_label = _("Sở, ngành")
    menu_icon = "group"
    permission_helper_class = DepartmentPermissionHelper
    edit_handler = ObjectList(
        [
            FieldPanel("code"),
            FieldPanel("name"),
            FieldPanel("short_name"),
            FieldPanel("province"),
            FieldPanel("email"),
        ],
        base_form_class=DepartmentForm,
    )
    list_display = ("name", "short_name", "code", "province", "email", "is_demo")
    list_filter = ("province", "is_demo")
    list_export = ("code", "name", "short_name", "province", "email", "is_demo")
    search_fields = ("name", "short_name", "code")

    def get_queryset(self, request):
        return access.departments_managed_by(request.user).select_related("province")


class MembershipDeleteView(SafeDeleteView):
    def delete_instance(self):
        services.membership_delete(membership=self.instance, actor=self.request.user)


class MembershipAdmin(ModelAdmin):
    history_view_class = ScopedHistoryView
    model = Membership
    index_view_class = SafeIndexView
    menu_label = _("Phân quyền người dùng")
    menu_icon = "user"
    permission_helper_class = MembershipPermissionHelper
    delete_view_class = MembershipDeleteView
    list_display = ("user", "role", "unit", "department", "producer", "is_demo", "history_link")
    list_filter = ("role", "is_demo")
    list_export = ("user", "role", "unit", "department", "is_demo", "created_at")
    search_fields = ("user__username", "user__first_name", "user__last_name", "unit__search_name", "department__name")
    edit_handler = ObjectList(
        [FieldPanel("user"), FieldPanel("role"), FieldPanel("unit"), FieldPanel("department"), FieldPanel("producer")],
        base_form_class=MembershipForm,
    )

    def get_queryset(self, request):
        return access.memberships_managed_by(request.user).select_related("producer")

    def history_link(self, obj):  # a method, not a staticmethod: modeladmin reads short_description off it
        return format_html('<a href="{}">{}</a>', history_url(obj.user), _("Lịch sử"))

    history_link.short_description = _("lịch sử của người dùng")


class DirectoryGroup(ModelAdminGroup):
    menu_label = _("Danh mục")
    menu_icon = "folder-open-inverse"
    menu_order = 900
    items = (UnitAdmin, EditionAdmin, ClassificationAdmin, DepartmentAdmin, MembershipAdmin)
