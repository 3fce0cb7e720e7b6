"""The office's forms for rounds: the create / edit form (drafts only) and the reason to reopen."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.admin.forms import WagtailAdminModelForm

from cms.directory.access import office_provinces, units_managed_by
from cms.directory.models import Unit, UnitLevel
from criteria_pages import selectors as criteria_selectors
from criteria_pages.models import CriteriaSetVersion, EvaluationFormPage
from criteria_pages.spec import SetLevel
from submissions import access
from submissions.models import Round, RoundStatus
from submissions.rounds import selectors

DATE_FORMAT = "%d/%m/%Y"
#: What the admin's date picker sends (WAGTAIL_DATE_FORMAT) and ISO. Django's defaults for "vi" read
#: "01/07/2027" as 7 January, so the date fields are given their formats explicitly.
DATE_INPUT_FORMATS = [DATE_FORMAT, "%Y-%m-%d"]
DATE_FIELDS = ("period_start", "period_end", "opens_on", "due_on")


def _unit_label(unit: Unit) -> str:
    indent = "— " * (unit.depth - 1)
    return f"{indent}{unit.name} ({unit.code}, {unit.edition.date:%d/%m/%Y})"


def _commune_label(unit: Unit) -> str:
    parent = f" – {unit.parent.name}" if unit.parent_id else ""
    return f"{unit.name}{parent} ({unit.code}, {unit.edition.date:%d/%m/%Y})"


def version_label(version: CriteriaSetVersion) -> str:
    return f"{version.set_page.title} – v{version.number}"


def _form_page_label(page: EvaluationFormPage) -> str:
    return f"{page.title} ({page.criteria_set.title})"


class RoundForm(WagtailAdminModelForm):
    """Limits every choice to what makes sense for the user and checks the round as a whole."""

    #: A choice among the commune-level unit types of the user's province, stored as "Xã, Thị trấn"; the types
    #: are checked against the chosen province or district (a type it lacks would open a round with no one).
    scope_unit_types = forms.MultipleChoiceField(
        label=gettext_lazy("loại đơn vị"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "Các loại đơn vị cấp xã có trong tỉnh. Đợt gồm các đơn vị thuộc phạm vi bên trên có loại đã chọn; "
            "không chọn loại nào để lấy mọi đơn vị cấp xã."
        ),
        error_messages={
            "invalid_choice": gettext_lazy(
                "“%(value)s” không phải một loại đơn vị cấp xã có trong tỉnh: hãy chọn trong danh sách."
            )
        },
    )

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        instance = self.instance
        for name in DATE_FIELDS:
            if name in self.fields:
                self.fields[name].input_formats = DATE_INPUT_FORMATS
        units = units_managed_by(for_user) if for_user else Unit.objects.all()
        units = units.select_related("edition").order_by("-edition__date", "path")
        self._limit("scope_root", units.filter(level__in=[UnitLevel.PROVINCE, UnitLevel.DISTRICT]), _unit_label)
        communes = units.filter(level=UnitLevel.COMMUNE).select_related("parent")
        # Districts too: a district set's round (huyện NTM) lists districts; the check below matches the set's level.
        subjects = units.filter(level__in=[UnitLevel.COMMUNE, UnitLevel.DISTRICT]).select_related("parent")
        self._limit("scope_units", subjects, _commune_label)
        if "scope_unit_types" in self.fields:
            types = sorted(set(communes.order_by().values_list("unit_type", flat=True)))
            self.fields["scope_unit_types"].choices = [(name, name) for name in types]
            self.initial["scope_unit_types"] = selectors.unit_types_of(instance)
        provinces = None if for_user is None or for_user.is_superuser else office_provinces(for_user)
        live_sets = Q(set_page__live=True) & criteria_selectors.versions_usable_q(provinces)
        if instance.criteria_version_id:
            live_sets |= Q(pk=instance.criteria_version_id)
        self._limit(
            "criteria_version",
            CriteriaSetVersion.objects.filter(live_sets)
            .select_related("set_page")
            .defer("spec")
            .order_by("set_page__title", "-number"),
            version_label,
        )
        live_forms = Q(live=True)
        if instance.form_page_id:
            live_forms |= Q(pk=instance.form_page_id)
        self._limit(
            "form_page",
            EvaluationFormPage.objects.filter(live_forms).select_related("criteria_set").order_by("title"),
            _form_page_label,
        )
        earlier = access.rounds_managed_by(for_user) if for_user else Round.objects.all()
        self._limit("prefill_from", earlier.exclude(status=RoundStatus.DRAFT).exclude(pk=instance.pk), str)

    def _limit(self, name, queryset, label):
        if name in self.fields:
            self.fields[name].queryset = queryset
            self.fields[name].label_from_instance = label

    def clean_scope_unit_types(self) -> str:
        return selectors.unit_types_joined(sorted(self.cleaned_data.get("scope_unit_types") or []))

    def clean(self):
        cleaned = super().clean()
        period_start, period_end = cleaned.get("period_start"), cleaned.get("period_end")
        if period_start and period_end and period_end < period_start:
            self.add_error("period_end", _("Kỳ đánh giá phải kết thúc vào hoặc sau ngày bắt đầu."))
        opens_on, due_on = cleaned.get("opens_on"), cleaned.get("due_on")
        if opens_on and due_on and due_on < opens_on:
            self.add_error("due_on", _("Hạn nộp không được trước ngày mở đợt."))
        version, form_page = cleaned.get("criteria_version"), cleaned.get("form_page")
        self._clean_scope(cleaned, selectors.subject_level_of_set(version.set_spec.level) if version else None)
        if version and version.set_spec.level == SetLevel.PRODUCT:
            self._clean_product_round(cleaned)
        if version and form_page and form_page.criteria_set_id != version.set_page_id:
            self.add_error(
                "form_page",
                _("Biểu mẫu “%(form)s” thuộc bộ tiêu chí khác với phiên bản đã chọn (%(version)s).")
                % {"form": form_page.title, "version": version_label(version)},
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

    def _clean_scope(self, cleaned, level: str | None):
        """``level``: the unit level of the chosen set's subjects (None while no version is chosen)."""
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
        elif root is None and level is not None:
            self._clean_listed_levels(units, level)
        elif level not in (None, UnitLevel.COMMUNE):
            self._clean_subjects_below(root, level)
        elif root is not None and "scope_unit_types" not in self.errors:
            self._clean_unit_types(root, cleaned.get("scope_unit_types", ""))

    def _clean_product_round(self, cleaned) -> None:
        """An OCOP round (a product-level set) evaluates the products of a province's producers: its scope is the
        province (or a list of communes), with no unit types; nothing is prefilled from a unit round."""
        root = cleaned.get("scope_root")
        if root is not None and root.level != UnitLevel.PROVINCE and "scope_root" not in self.errors:
            self.add_error(
                "scope_root",
                _("Đợt đánh giá sản phẩm OCOP có phạm vi là một tỉnh: hãy chọn tỉnh thay cho “%(root)s”.")
                % {"root": root.name},
            )
        if cleaned.get("scope_unit_types") and "scope_unit_types" not in self.errors:
            self.add_error(
                "scope_unit_types",
                _("Đợt đánh giá sản phẩm OCOP gồm sản phẩm của mọi chủ thể trong tỉnh: không chọn loại đơn vị."),
            )
        if cleaned.get("prefill_from"):
            self.add_error("prefill_from", _("Hồ sơ sản phẩm OCOP không điền sẵn từ đợt khác."))

    def _clean_listed_levels(self, units, level: str) -> None:
        """Listed units must be of the level the set evaluates (districts for a district set, communes else)."""
        other = [unit for unit in units if unit.level != level]
        if other:
            self.add_error(
                "scope_units",
                _("Bộ tiêu chí đã chọn đánh giá các đơn vị %(level)s; không phải đơn vị %(level)s: %(units)s.")
                % {"level": UnitLevel(level).label.lower(), "units": ", ".join(unit.name for unit in other)},
            )

    def _clean_subjects_below(self, root: Unit, level: str) -> None:
        """A district round's root must hold at least one district (its unit types, commune types, are ignored)."""
        if not selectors.subjects_within(root, level).exists():
            self.add_error(
                "scope_root",
                _("“%(root)s” có 0 đơn vị %(level)s mà bộ tiêu chí đã chọn đánh giá: đợt sẽ không có hồ sơ nào.")
                % {"root": root.name, "level": UnitLevel(level).label.lower()},
            )

    def _clean_unit_types(self, root: Unit, stored: str) -> None:
        """The chosen types must be present below ``root``, and the scope must hold at least one unit."""
        types = selectors.unit_types_split(stored)
        present = selectors.unit_type_counts(selectors.communes_within(root))
        described = ", ".join(f"{name} ({count})" for name, count in present.items())
        absent = [name for name in types if name not in present]
        if not present:
            self.add_error(
                "scope_root",
                _("“%(root)s” có 0 đơn vị cấp xã: đợt sẽ không có hồ sơ nào. Hãy chọn phạm vi khác.")
                % {"root": root.name},
            )
        elif absent:
            self.add_error(
                "scope_unit_types",
                _("“%(root)s” không có đơn vị loại %(types)s. Các loại có trong phạm vi: %(present)s.")
                % {"root": root.name, "types": ", ".join(f"“{name}”" for name in absent), "present": described},
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


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Lý do mở lại"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Được ghi vào nhật ký của đợt."),
        error_messages={"required": gettext_lazy("Cần ghi lý do mở lại đợt.")},
    )


class OpenForm(forms.Form):
    """Opening a round: the explicit choice of the common target for units without the set's classification,
    offered only when there are such units (``preview``: :class:`submissions.rounds.readiness.OpeningPreview`)."""

    allow_unclassified = forms.BooleanField(
        required=False, help_text=gettext_lazy("Lựa chọn này được ghi vào nhật ký của đợt, kèm mã các đơn vị.")
    )

    def __init__(self, *args, preview, **kwargs):
        super().__init__(*args, **kwargs)
        if preview.unclassified_count:
            self.fields["allow_unclassified"].label = _("Dùng chỉ tiêu chung cho %(count)s đơn vị chưa phân loại") % {
                "count": preview.unclassified_count
            }
        else:
            del self.fields["allow_unclassified"]
