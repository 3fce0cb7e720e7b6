"""The shared reference directory: administrative units by edition, classifications, departments
and the memberships that give users their roles.

Units form a tree (province → district → commune → village). The tree is stored twice over on
purpose: ``parent`` for one-step navigation and ``path``, the chain of official codes from the
province down ("66/643/24181/"), for whole-subtree queries with one indexed ``startswith``.
Both are derived from official codes, so re-importing a list rebuilds the same tree and never
needs sibling renumbering (the reason treebeard's position-based paths were not used here).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel

from .text import search_fold


class UnitLevel(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện")
    COMMUNE = "commune", _("Cấp xã")
    VILLAGE = "village", _("Thôn, ấp, bản")


LEVEL_DEPTH = {UnitLevel.PROVINCE: 1, UnitLevel.DISTRICT: 2, UnitLevel.COMMUNE: 3, UnitLevel.VILLAGE: 4}


class Edition(models.Model):
    """One official list of administrative units, named by the date it took effect."""

    date = models.DateField(_("ngày hiệu lực"), unique=True)
    name = models.CharField(_("tên"), max_length=255)
    tiers = models.PositiveSmallIntegerField(
        _("số cấp hành chính"), default=3, help_text=_("3: tỉnh – huyện – xã; 2: tỉnh – xã.")
    )
    valid_to = models.DateField(_("hết hiệu lực"), null=True, blank=True)
    source = models.TextField(_("nguồn"), blank=True)

    class Meta:
        ordering = ["-date"]
        verbose_name = _("danh mục đơn vị hành chính")
        verbose_name_plural = _("danh mục đơn vị hành chính")

    def __str__(self):
        return f"{self.name} ({self.date:%d/%m/%Y})"


class Classification(ClusterableModel):
    """A way of grouping units that criteria targets can depend on (region, commune group, …)."""

    code = models.SlugField(_("mã"), max_length=50, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    description = models.TextField(_("mô tả"), blank=True)
    legal_basis = models.TextField(
        _("căn cứ pháp lý"),
        blank=True,
        help_text=_("Văn bản quy định các giá trị (ghi rõ phụ lục, điều khoản): “nhóm 1” chỉ có nghĩa theo văn bản."),
    )
    decision_number = models.CharField(_("số quyết định"), max_length=64, blank=True)
    decision_date = models.DateField(_("ngày ban hành"), null=True, blank=True)

    panels = [
        FieldPanel("code"),
        FieldPanel("name"),
        FieldPanel("description"),
        MultiFieldPanel(
            [FieldPanel("decision_number"), FieldPanel("decision_date"), FieldPanel("legal_basis")],
            heading=_("Căn cứ pháp lý"),
        ),
        InlinePanel("values", label=_("Các giá trị"), min_num=1),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("phân loại đơn vị")
        verbose_name_plural = _("phân loại đơn vị")

    def __str__(self):
        return self.name


class ClassificationValue(models.Model):
    classification = ParentalKey(
        Classification, on_delete=models.CASCADE, related_name="values", verbose_name=_("phân loại")
    )
    code = models.CharField(_("mã"), max_length=50)
    name = models.CharField(_("tên"), max_length=255)
    description = models.TextField(_("mô tả"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["classification", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["classification", "code"], name="unique_value_code_per_classification")
        ]
        verbose_name = _("giá trị phân loại")
        verbose_name_plural = _("giá trị phân loại")

    def __str__(self):
        return f"{self.classification.name}: {self.name}"


def within_q(unit: "Unit", *, prefix: str = "", inclusive: bool = True) -> models.Q:
    """Units in ``unit``'s subtree, in its edition (``unit`` itself too unless ``inclusive`` is false).

    ``prefix`` reaches the unit from another model, e.g. ``within_q(province, prefix="unit__")`` on
    submissions. The twin of :meth:`UnitQuerySet.within`, for queries that compose.
    """
    condition = models.Q(**{f"{prefix}edition_id": unit.edition_id, f"{prefix}path__startswith": unit.path})
    return condition if inclusive else condition & ~models.Q(**{f"{prefix}pk": unit.pk})


def province_history_q(province: "Unit", *, prefix: str = "") -> models.Q:
    """Units whose code path starts with ``province``'s code, in every edition: a province's history keeps one
    code path across the lists (the public site and an appraiser's province read it so)."""
    return models.Q(**{f"{prefix}path__startswith": f"{province.code}/"})


def within_any_q(units, *, prefix: str = "") -> models.Q:
    """Units in the subtree of any of ``units`` (matches nothing when there are none)."""
    condition = models.Q(**{f"{prefix}pk__in": []})
    for unit in units:
        condition |= within_q(unit, prefix=prefix)
    return condition


class UnitQuerySet(models.QuerySet):
    def within(self, unit: "Unit", *, inclusive: bool = True):
        """Units in ``unit``'s subtree (e.g. every commune of a province), in its edition."""
        return self.filter(within_q(unit, inclusive=inclusive))

    def within_any(self, units):
        return self.filter(within_any_q(units))

    def mark_updated(self, *, at=None) -> int:
        """Stamp these units as changed (now, or ``at``): bulk writes and classification changes bypass
        ``auto_now``."""
        return self.update(updated_at=at or timezone.now())


class Unit(ClusterableModel):
    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="units", verbose_name=_("danh mục"))
    code = models.CharField(_("mã"), max_length=20)
    name = models.CharField(_("tên"), max_length=255)
    unit_type = models.CharField(_("loại"), max_length=64)
    level = models.CharField(_("cấp"), max_length=16, choices=UnitLevel.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("trực thuộc")
    )
    path = models.CharField(_("đường dẫn mã"), max_length=255, editable=False)
    search_name = models.CharField(max_length=255, editable=False, db_index=True)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    #: Last change of the unit or its classifications: ``updated_since`` of ``/api/v1/units/`` compares with it.
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True, db_index=True)
    merged_from = models.ManyToManyField(
        "self",
        through="UnitSuccession",
        through_fields=("successor", "predecessor"),
        symmetrical=False,
        related_name="merged_into",
        blank=True,
        verbose_name=_("hình thành từ"),
    )
    classification_values = models.ManyToManyField(
        ClassificationValue,
        through="UnitClassification",
        related_name="units",
        blank=True,
        verbose_name=_("phân loại"),
    )

    objects = UnitQuerySet.as_manager()

    panels = [
        MultiFieldPanel(
            [FieldPanel("name"), FieldPanel("unit_type"), FieldPanel("valid_from"), FieldPanel("valid_to")],
            heading=_("Đơn vị"),
        ),
        InlinePanel("classifications", label=_("Phân loại"), heading=_("Phân loại")),
    ]

    class Meta:
        ordering = ["edition", "path"]
        constraints = [models.UniqueConstraint(fields=["edition", "code"], name="unique_unit_code_per_edition")]
        indexes = [
            models.Index(fields=["edition", "path"], name="unit_edition_path"),
            models.Index(fields=["edition", "level"], name="unit_edition_level"),
        ]
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")

    def __str__(self):
        return f"{self.name} ({self.code})"

    def save(self, *args, **kwargs):
        self.search_name = search_fold(self.name)
        super().save(*args, **kwargs)

    @property
    def parent_code(self) -> str:
        return self.parent.code if self.parent_id else ""

    @property
    def classification_summary(self) -> str:
        """ "region: TN; commune_group: NHOM_2" (uses prefetched rows when present)."""
        return "; ".join(f"{row.classification.code}: {row.value.code}" for row in self.classifications.all())

    @property
    def depth(self) -> int:
        return LEVEL_DEPTH[self.level]


class SuccessionKind(models.TextChoices):
    FULL = "full", _("toàn bộ")
    PARTIAL = "partial", _("một phần")


class UnitSuccession(models.Model):
    """A unit of a newer edition was formed from (all or part of) a unit of an earlier one."""

    successor = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="predecessor_links")
    predecessor = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="successor_links")
    kind = models.CharField(_("hình thức"), max_length=10, choices=SuccessionKind.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["successor", "predecessor"], name="unique_succession")]
        verbose_name = _("sáp nhập")
        verbose_name_plural = _("sáp nhập")

    def __str__(self):
        return f"{self.predecessor} → {self.successor} ({self.get_kind_display()})"


class PendingSuccession(models.Model):
    """A ``merged_from`` link whose predecessor lies in an edition not imported yet (or not yet holding that code).

    The predecessor is looked for in the latest edition older than the successor's; the link becomes a
    :class:`UnitSuccession` when that edition is imported (in either order of the two imports).
    """

    successor = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="pending_predecessor_links")
    predecessor_code = models.CharField(_("mã đơn vị cũ"), max_length=20)
    kind = models.CharField(_("hình thức"), max_length=10, choices=SuccessionKind.choices)
    expected_edition = models.ForeignKey(
        Edition,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("danh mục chờ"),
        help_text=_("Danh mục trước gần nhất khi ghi liên kết; trống nếu chưa có danh mục nào trước."),
    )

    class Meta:
        ordering = ["successor", "predecessor_code"]
        constraints = [
            models.UniqueConstraint(fields=["successor", "predecessor_code"], name="unique_pending_succession")
        ]
        verbose_name = _("sáp nhập chờ danh mục trước")
        verbose_name_plural = _("sáp nhập chờ danh mục trước")

    def __str__(self):
        return f"{self.predecessor_code} → {self.successor} ({self.get_kind_display()})"


class UnitCodeCorrection(models.Model):
    """A correction of an official list after its publication: in ``edition_date``'s list, ``old_code`` is
    ``new_code``.

    Recorded once, whether or not the unit was already imported: applying it renames the unit in place (same
    row, so everything attached stays), and every later import of that edition reads ``old_code`` as
    ``new_code``. The edition is kept as a date because a correction may be recorded before its list is imported.
    """

    edition_date = models.DateField(_("danh mục (ngày hiệu lực)"))
    old_code = models.CharField(_("mã cũ"), max_length=20)
    new_code = models.CharField(_("mã đúng"), max_length=20)
    legal_basis = models.TextField(_("căn cứ pháp lý"))
    note = models.TextField(_("ghi chú"), blank=True)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="code_corrections",
        verbose_name=_("đơn vị đã sửa"),
    )
    applied_at = models.DateTimeField(_("ghi nhận lúc"), auto_now_add=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người ghi nhận"),
    )

    class Meta:
        ordering = ["-edition_date", "old_code"]
        constraints = [
            models.UniqueConstraint(fields=["edition_date", "old_code"], name="unique_code_correction"),
        ]
        verbose_name = _("đính chính mã đơn vị")
        verbose_name_plural = _("đính chính mã đơn vị")

    def __str__(self):
        return f"{self.old_code} → {self.new_code} ({self.edition_date:%d/%m/%Y})"


class UnitClassification(models.Model):
    """A unit's value for one classification: at most one value per classification."""

    unit = ParentalKey(Unit, on_delete=models.CASCADE, related_name="classifications")
    classification = models.ForeignKey(
        Classification, on_delete=models.CASCADE, related_name="+", verbose_name=_("phân loại")
    )
    value = models.ForeignKey(
        ClassificationValue, on_delete=models.CASCADE, related_name="+", verbose_name=_("giá trị")
    )

    panels = [FieldPanel("classification"), FieldPanel("value")]

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "classification"], name="one_value_per_classification")]

    def __str__(self):
        return f"{self.unit}: {self.value}"

    def clean(self):
        if self.value_id and self.classification_id and self.value.classification_id != self.classification_id:
            raise ValidationError({"value": _("Giá trị không thuộc phân loại này.")})


class Department(models.Model):
    """A provincial department (sở, ngành) that appraises some criteria.

    A department belongs to one province; its code is unique within that province (every province has its
    own "so-xd"), and a criteria set's responsible departments are resolved by code in the round's province.
    """

    code = models.SlugField(_("mã"), max_length=50)
    name = models.CharField(_("tên"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=64, blank=True)
    province = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        limit_choices_to={"level": UnitLevel.PROVINCE},
        related_name="departments",
        verbose_name=_("tỉnh"),
    )
    email = models.EmailField(_("thư điện tử"), blank=True)
    is_demo = models.BooleanField(_("dữ liệu mẫu"), default=False)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["province", "code"], name="unique_department_code_per_province")]
        verbose_name = _("sở, ngành")
        verbose_name_plural = _("sở, ngành")

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    OFFICE_EDITOR = "office_editor", _("Văn phòng Điều phối NTM")
    DISTRICT_REVIEWER = "district_reviewer", _("Thẩm tra cấp huyện")
    DEPARTMENT_APPRAISER = "department_appraiser", _("Thẩm định của sở, ngành")
    COMMUNE_OFFICER = "commune_officer", _("Cán bộ xã")
    NATIONAL_READER = "national_reader", _("Văn phòng Điều phối Trung ương (chỉ xem)")
    PRODUCER = "producer", _("Chủ thể OCOP")
    COUNCIL_MEMBER = "council_member", _("Thành viên hội đồng đánh giá OCOP")


#: The level of unit each role's scope must be (appraisers are scoped by department instead).
ROLE_SCOPE_LEVEL = {
    Role.OFFICE_EDITOR: UnitLevel.PROVINCE,
    Role.DISTRICT_REVIEWER: UnitLevel.DISTRICT,
    Role.COMMUNE_OFFICER: UnitLevel.COMMUNE,
    Role.COUNCIL_MEMBER: UnitLevel.PROVINCE,  # who may be appointed to the province's councils
}


DUPLICATE_MEMBERSHIP = _("Người này đã có vai trò này trong phạm vi này.")


class Membership(models.Model):
    """A user's role and its scope: a unit (province, district, commune), a department or (OCOP) a producer."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("người dùng")
    )
    role = models.CharField(_("vai trò"), max_length=32, choices=Role.choices)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships", verbose_name=_("đơn vị")
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("sở, ngành"),
    )
    producer = models.ForeignKey(
        "directory.Producer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("chủ thể OCOP"),
    )
    is_demo = models.BooleanField(_("dữ liệu mẫu"), default=False)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)

    class Meta:
        ordering = ["user__username", "role"]
        # One row per user, role and scope. A scope is a unit, a department or (national reader) neither, so
        # the NULL columns take part through conditional constraints: SQLite has no ``nulls_distinct``.
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "unit"],
                condition=models.Q(department__isnull=True, unit__isnull=False, producer__isnull=True),
                name="unique_membership_unit",
                violation_error_message=DUPLICATE_MEMBERSHIP,
            ),
            models.UniqueConstraint(
                fields=["user", "role", "department"],
                condition=models.Q(unit__isnull=True, department__isnull=False, producer__isnull=True),
                name="unique_membership_department",
                violation_error_message=DUPLICATE_MEMBERSHIP,
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(unit__isnull=True, department__isnull=True, producer__isnull=True),
                name="unique_membership_national",
                violation_error_message=DUPLICATE_MEMBERSHIP,
            ),
            models.UniqueConstraint(
                fields=["user", "role", "producer"],
                condition=models.Q(producer__isnull=False),
                name="unique_membership_producer",
                violation_error_message=DUPLICATE_MEMBERSHIP,
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(unit__isnull=True, department__isnull=True)
                    | models.Q(unit__isnull=True, producer__isnull=True)
                    | models.Q(department__isnull=True, producer__isnull=True)
                ),
                name="membership_one_kind_of_scope",
            ),
        ]
        verbose_name = _("phân quyền")
        verbose_name_plural = _("phân quyền")

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} – {self.scope}"

    @property
    def scope(self):
        if self.role == Role.PRODUCER:
            return self.producer
        return self.department if self.role == Role.DEPARTMENT_APPRAISER else self.unit

    def clean(self):
        errors = {}
        if self.role == Role.NATIONAL_READER:
            if self.unit_id:
                errors["unit"] = _("Văn phòng Điều phối Trung ương xem toàn quốc, không chọn đơn vị.")
            if self.department_id:
                errors["department"] = _("Văn phòng Điều phối Trung ương không thuộc sở, ngành.")
        elif self.role == Role.DEPARTMENT_APPRAISER:
            if not self.department_id:
                errors["department"] = _("Cán bộ thẩm định phải thuộc một sở, ngành.")
            if self.unit_id:
                errors["unit"] = _("Phạm vi của cán bộ thẩm định là sở, ngành, không chọn đơn vị.")
        elif self.role == Role.PRODUCER:
            if not self.producer_id:
                errors["producer"] = _("Tài khoản chủ thể OCOP phải gắn với một chủ thể.")
            if self.unit_id:
                errors["unit"] = _("Phạm vi của chủ thể OCOP là chủ thể, không chọn đơn vị.")
            if self.department_id:
                errors["department"] = _("Chủ thể OCOP không thuộc sở, ngành.")
        elif self.role:
            expected = ROLE_SCOPE_LEVEL[self.role]
            if not self.unit_id:
                errors["unit"] = _("Vai trò này cần một đơn vị hành chính làm phạm vi.")
            elif self.unit.level != expected:
                errors["unit"] = _("Vai trò này cần một đơn vị %(level)s.") % {"level": UnitLevel(expected).label}
            if self.department_id:
                errors["department"] = _("Chỉ cán bộ thẩm định mới thuộc sở, ngành.")
        if self.producer_id and self.role != Role.PRODUCER:
            errors["producer"] = _("Chỉ tài khoản chủ thể OCOP mới gắn với chủ thể.")
        if errors:
            raise ValidationError(errors)


from cms.directory.products.models import Producer, Product, ProductGroup, ProductPhoto  # noqa: E402, F401
