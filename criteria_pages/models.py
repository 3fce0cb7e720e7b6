"""Criteria sets as Wagtail pages: index → set → criterion, with indicators as orderable rows.

Publishing a set freezes an immutable :class:`CriteriaSetVersion` (a :class:`~criteria_pages.spec.SetSpec`
snapshot) that rounds reference; editing afterwards only ever creates the next version.
"""

import re
from dataclasses import dataclass, replace

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from cms.directory.models import Classification, ClassificationValue, Department, Unit, UnitLevel

from .blocks import FormSectionBlock, GroupTargetBlock
from .forms import CriteriaSetPageForm, CriterionPageForm, EvaluationForm
from .panels import CriteriaStatusPanel
from .scoring_fields import OcopScoringFields
from .spec import (
    Comparison,
    CriterionRule,
    CriterionSpec,
    EvidenceSpec,
    FigureSource,
    IndicatorSpec,
    PreconditionKind,
    PreconditionSpec,
    ScoreBand,
    SetLevel,
    SetSpec,
    StandardRule,
    TitleKind,
    ValueType,
    criteria_without_indicators,
)
from .targets import canonical_target, indicator_target_problems
from .wording import max_points_words, number_words

#: Rich-text features for descriptions and instructions: enough for legal text, nothing decorative.
SIMPLE_RICH_TEXT = ["bold", "italic", "link", "ol", "ul"]

_BLOCK_KEY = re.compile(r'\s+data-block-key="[^"]*"')


def stable_richtext(html: str) -> str:
    """Rich text without the editor's random block keys, and "" when it holds no text."""
    html = _BLOCK_KEY.sub("", html or "")
    return html if strip_tags(html).strip() else ""


class CriteriaIndexPage(Page):
    """Where criteria sets and evaluation forms are kept: a province's own (under its public home page, edited by
    its office) or the national library (``province`` empty, under the root: edited by superusers, usable by
    every province). A single-province install keeps its one index under the home page, usable by all.
    """

    intro = RichTextField(_("giới thiệu"), blank=True, features=SIMPLE_RICH_TEXT)
    province = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"level": UnitLevel.PROVINCE},
        verbose_name=_("tỉnh"),
        help_text=_("Tỉnh sở hữu các bộ tiêu chí ở đây; bỏ trống: bộ tiêu chí dùng chung cho mọi tỉnh."),
    )

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("province", read_only=True)]
    api_fields = [APIField("intro")]

    parent_page_types = ["public_site.HomePage", "wagtailcore.Page"]
    subpage_types = ["criteria_pages.CriteriaSetPage", "criteria_pages.EvaluationFormPage"]
    max_count_per_parent = 1
    template = "criteria_pages/criteria_index_page.html"

    class Meta:
        verbose_name = _("danh sách bộ tiêu chí")
        verbose_name_plural = _("danh sách bộ tiêu chí")

    def with_content_json(self, content):
        """The owning province is set by the site's setup, not edited: an older revision never brings back an
        earlier one (a province's index never turns national by an edit)."""
        page = super().with_content_json(content)
        page.province_id = self.province_id
        return page


class CriteriaSetPage(OcopScoringFields, Page):
    code = models.SlugField(_("mã bộ tiêu chí"), max_length=64, allow_unicode=False)
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=500, blank=True)
    decision_number = models.CharField(_("số quyết định"), max_length=100, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    valid_from = models.DateField(_("áp dụng từ"), null=True, blank=True)
    valid_to = models.DateField(_("áp dụng đến"), null=True, blank=True)
    level = models.CharField(_("cấp áp dụng"), max_length=16, choices=SetLevel.choices, default=SetLevel.COMMUNE)
    classification = models.ForeignKey(
        Classification,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chỉ tiêu phân theo"),
        help_text=_("Phân loại đơn vị mà mức chỉ tiêu phụ thuộc (vùng, nhóm xã, …)."),
    )
    standard_rule = models.CharField(
        _("điều kiện đạt chuẩn"), max_length=16, choices=StandardRule.choices, default=StandardRule.ALL
    )
    standard_min = models.DecimalField(
        _("N tiêu chí / ngưỡng điểm"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Số tiêu chí tối thiểu (đạt ít nhất N) hoặc điểm tối thiểu (theo điểm)."),
    )
    is_illustrative = models.BooleanField(
        _("bộ minh họa"),
        default=False,
        help_text=_("Mức chỉ tiêu chỉ để minh họa, không phải mức chính thức. Được ghi rõ ở mọi nơi bộ xuất hiện."),
    )
    description = RichTextField(_("mô tả"), blank=True, features=SIMPLE_RICH_TEXT)
    grants_title = models.CharField(
        _("danh hiệu được công nhận"),
        max_length=32,
        choices=TitleKind.choices,
        blank=True,
        help_text=_("Danh hiệu mà đơn vị đạt chuẩn theo bộ này được công nhận. Bỏ trống nếu không có."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("code"),
        CriteriaStatusPanel(heading=_("Các tiêu chí sẽ phát hành cùng bộ")),
        MultiFieldPanel(
            [
                FieldPanel("legal_basis"),
                FieldRowPanel([FieldPanel("decision_number"), FieldPanel("decision_date")]),
                FieldRowPanel([FieldPanel("valid_from"), FieldPanel("valid_to")]),
            ],
            heading=_("Căn cứ và hiệu lực"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("level"),
                FieldPanel("classification"),
                FieldPanel("standard_rule"),
                FieldPanel("standard_min"),
                InlinePanel("bands", label=_("Khung xếp hạng theo điểm"), heading=_("Khung xếp hạng theo điểm")),
            ],
            heading=_("Cách đánh giá"),
        ),
        OcopScoringFields.scoring_panel,
        MultiFieldPanel(
            [
                FieldPanel("grants_title"),
                InlinePanel(
                    "preconditions",
                    label=_("Điều kiện công nhận"),
                    heading=_("Điều kiện công nhận ngoài các tiêu chí"),
                ),
            ],
            heading=_("Công nhận"),
        ),
        FieldPanel("is_illustrative"),
        FieldPanel("description"),
    ]
    search_fields = Page.search_fields + [index.SearchField("legal_basis"), index.FilterField("code")]
    api_fields = [
        APIField("code"),
        APIField("legal_basis"),
        APIField("decision_number"),
        APIField("decision_date"),
        APIField("valid_from"),
        APIField("valid_to"),
        APIField("level"),
        APIField("standard_rule"),
        APIField("is_illustrative"),
        APIField("description"),
    ]

    parent_page_types = ["criteria_pages.CriteriaIndexPage"]
    subpage_types = ["criteria_pages.CriterionPage"]
    template = "criteria_pages/criteria_set_page.html"
    base_form_class = CriteriaSetPageForm

    class Meta:
        verbose_name = _("bộ tiêu chí")
        verbose_name_plural = _("bộ tiêu chí")

    def clean(self):
        super().clean()
        if self.standard_rule in (StandardRule.AT_LEAST, StandardRule.SCORE) and self.standard_min is None:
            raise ValidationError({"standard_min": _("Cần nhập N tiêu chí hoặc ngưỡng điểm cho điều kiện này.")})
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("Ngày kết thúc phải sau ngày bắt đầu.")})
        if self.level == SetLevel.PRODUCT and self.standard_rule != StandardRule.SCORE:
            raise ValidationError(
                {"standard_rule": _("Bộ cấp sản phẩm (OCOP) phải dùng điều kiện “Tổng điểm đạt ngưỡng”.")}
            )
        siblings = CriteriaSetPage.objects.filter(code=self.code).exclude(pk=self.pk)
        if self.code and siblings.exists():
            raise ValidationError({"code": _("Đã có bộ tiêu chí khác dùng mã này.")})

    @cached_property
    def latest_version(self):
        return self.versions.order_by("-number").first()

    @property
    def is_product_set(self) -> bool:
        return self.level == SetLevel.PRODUCT

    @property
    def bands_unverified(self) -> bool:
        """A product set whose star bands were not checked against the decision (a warning in the editor and
        the public page)."""
        return self.is_product_set and not self.bands_verified

    def score_parts(self) -> list[tuple["CriterionPage", str]]:
        """The live criteria of a product set as the parts of its score sheet, each with its maximum read as
        "Tối đa 40 điểm" (the sum of its scored items' points)."""
        parts = []
        for criterion in self.live_criteria():
            points = [item.points for item in criterion.indicators.all() if item.points is not None]
            parts.append((criterion, max_points_words(IndicatorSpec(code="", name="", points=sum(points)))))
        return parts

    def band_lines(self) -> list[str]:
        """The score bands as people read them: "5 sao: từ 90 điểm" (a band without stars: its label)."""
        lines = []
        for band in self.bands.all():
            words = _("từ %(points)s điểm") % {"points": number_words(band.min_points)}
            name = _("%(stars)s sao") % {"stars": band.stars} if band.stars else band.label
            lines.append(f"{name}: {words}")
        return lines

    def unverified_indicator_count(self) -> int:
        """Indicators of the live criteria not yet checked against the decision (shown as a warning)."""
        return Indicator.objects.filter(page__in=self.live_criteria().values("pk"), verified=False).count()

    def live_criteria(self):
        return (
            CriterionPage.objects.child_of(self)
            .live()
            .select_related("department")
            .prefetch_related(models.Prefetch("indicators", queryset=Indicator.objects.select_related("department")))
            .order_by("number")
        )

    def criteria_with_pending_changes(self):
        """Criteria that publishing the set publishes with it: live ones with a draft newer than their live version,
        and new ones never published. Criteria taken offline stay offline."""
        pending = Q(live=True, has_unpublished_changes=True) | Q(live=False, first_published_at__isnull=True)
        return CriterionPage.objects.child_of(self).filter(pending).order_by("number")

    def criteria_as_published_with_set(self) -> list["CriterionPage"]:
        """Each criterion as publishing the set will freeze it: its latest draft if it has unpublished changes,
        otherwise its live version."""
        pending = {page.pk: page for page in self.criteria_with_pending_changes()}
        criteria = [page for page in self.live_criteria() if page.pk not in pending]
        criteria += [page.get_latest_revision_as_object() for page in pending.values()]
        return sorted(criteria, key=lambda criterion: criterion.number)

    def criteria_status(self) -> list["CriterionStatusRow"]:
        """Every criterion of the set with what publishing the set does to it (the set editor's panel)."""
        pending = {page.pk: page for page in self.criteria_with_pending_changes()}
        rows = []
        for page in CriterionPage.objects.child_of(self).prefetch_related("indicators").order_by("number"):
            if page.pk in pending:
                latest = page.get_latest_revision_as_object()
                state = CriterionStatusRow.CHANGED if page.live else CriterionStatusRow.NEW
                rows.append(CriterionStatusRow(page, latest.number, latest.title, state, len(latest.indicators.all())))
            else:
                state = CriterionStatusRow.LIVE if page.live else CriterionStatusRow.OFFLINE
                rows.append(CriterionStatusRow(page, page.number, page.title, state, len(page.indicators.all())))
        return rows

    def publishing_problems(self, *, classification: Classification | None) -> list[str]:
        """Why the set cannot be published with ``classification`` as it would be frozen (its criteria with their
        unpublished changes): targets that do not fit their indicator or name groups of another classification."""
        values = dict(classification.values.values_list("code", "name")) if classification else {}
        labels = dict(ClassificationValue.objects.values_list("code", "name"))  # other classifications' are named too
        labels.update({"": classification.name, **values} if classification else {})
        code = classification.code if classification else ""
        problems = []
        for criterion in self.criteria_as_published_with_set():
            for indicator in criterion.as_spec().indicators:
                for problem in indicator_target_problems(
                    indicator, classification=code, groups=set(values), labels=labels
                ):
                    target = (
                        _("mức riêng “%(group)s”") % {"group": labels.get(problem.group, problem.group)}
                        if problem.group
                        else _("mức chung")
                    )
                    problems.append(
                        _("Tiêu chí %(number)s, chỉ tiêu %(code)s, %(target)s: %(message)s")
                        % {
                            "number": criterion.number,
                            "code": indicator.code,
                            "target": target,
                            "message": problem.message,
                        }
                    )
        return problems

    def as_spec(self, criteria=None) -> SetSpec:
        """This set with its live criteria (or the given ones, e.g. unsaved pages in a preview)."""
        criteria = list(self.live_criteria()) if criteria is None else list(criteria)
        return SetSpec(
            code=self.code,
            name=self.title,
            legal_basis=self.legal_basis,
            decision_number=self.decision_number,
            decision_date=self.decision_date,
            valid_from=self.valid_from,
            valid_to=self.valid_to,
            level=self.level,
            classification=self.classification.code if self.classification_id else "",
            standard_rule=self.standard_rule,
            standard_min=self.standard_min,
            bands=tuple(ScoreBand(band.label, band.min_points, band.stars) for band in self.bands.all()),
            is_illustrative=self.is_illustrative,
            grants_title=self.grants_title,
            preconditions=tuple(row.as_spec() for row in self.preconditions.all()),
            scoring=self.scoring_rule(),
            criteria=tuple(criterion.as_spec() for criterion in sorted(criteria, key=lambda c: c.number)),
        )


@dataclass(frozen=True)
class CriterionStatusRow:
    """A criterion of a set as the set editor lists it: what publishing the set does to it."""

    LIVE = "live"
    CHANGED = "changed"
    NEW = "new"
    OFFLINE = "offline"
    LABELS = {
        LIVE: _("Đã phát hành"),
        CHANGED: _("Có thay đổi chưa phát hành: sẽ phát hành cùng bộ"),
        NEW: _("Mới, chưa phát hành: sẽ phát hành cùng bộ"),
        OFFLINE: _("Đã ngừng phát hành: không thuộc phiên bản mới"),
    }

    page: "CriterionPage"
    number: int
    title: str
    state: str
    indicator_count: int

    @property
    def state_label(self) -> str:
        return str(self.LABELS[self.state])

    @property
    def published_with_set(self) -> bool:
        return self.state in (self.CHANGED, self.NEW)


class ScoreBandRow(Orderable):
    page = ParentalKey(CriteriaSetPage, on_delete=models.CASCADE, related_name="bands")
    label = models.CharField(_("hạng"), max_length=64, help_text=_("Ví dụ: 5 sao"))
    min_points = models.DecimalField(_("điểm từ"), max_digits=8, decimal_places=2)
    stars = models.PositiveSmallIntegerField(_("số sao"), null=True, blank=True, help_text=_("OCOP: số sao của hạng."))

    panels = [FieldRowPanel([FieldPanel("label"), FieldPanel("min_points"), FieldPanel("stars")])]

    class Meta(Orderable.Meta):
        verbose_name = _("hạng")

    def __str__(self):
        return f"{self.label} ≥ {self.min_points}"


class PreconditionRow(Orderable):
    """A recognition precondition of a set, configured in the set's editor (no code): frozen into its versions."""

    page = ParentalKey(CriteriaSetPage, on_delete=models.CASCADE, related_name="preconditions")
    code = models.CharField(_("mã"), max_length=20, help_text=_("Ví dụ: DK1; không trùng trong bộ."))
    name = models.CharField(_("điều kiện"), max_length=500)
    kind = models.CharField(
        _("loại"), max_length=16, choices=PreconditionKind.choices, default=PreconditionKind.CONFIRMATION
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sở, ngành xác nhận"),
    )
    # Wagtail's reference index would be rebuilt for the whole set page per row saved: nothing reads it for
    # departments (no "usage" view), so publishing a set costs no more queries per precondition.
    department.wagtail_reference_index_ignore = True
    evidence = models.CharField(_("minh chứng cần có"), max_length=500, blank=True)
    comparison = models.CharField(_("so sánh"), max_length=8, choices=Comparison.choices, default=Comparison.GTE)
    threshold = models.DecimalField(_("ngưỡng"), max_digits=10, decimal_places=2, null=True, blank=True)
    unit = models.CharField(_("đơn vị tính"), max_length=20, blank=True)
    source = models.CharField(
        _("nguồn số liệu"), max_length=16, choices=FigureSource.choices, default=FigureSource.ENTERED
    )
    required_title = models.CharField(
        _("danh hiệu phải đang giữ"), max_length=32, choices=TitleKind.choices, blank=True
    )
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=500, blank=True)
    verified = models.BooleanField(_("đã đối chiếu với quyết định"), default=False)

    panels = [
        FieldRowPanel([FieldPanel("code"), FieldPanel("kind")]),
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("department"), FieldPanel("evidence")]),
        FieldRowPanel([FieldPanel("source"), FieldPanel("comparison"), FieldPanel("threshold"), FieldPanel("unit")]),
        FieldPanel("required_title"),
        FieldRowPanel([FieldPanel("legal_basis"), FieldPanel("verified")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("điều kiện công nhận")
        verbose_name_plural = _("điều kiện công nhận")

    def __str__(self):
        return f"{self.code}. {self.name}"

    def clean(self):
        super().clean()
        if self.kind == PreconditionKind.FIGURE and self.threshold is None:
            raise ValidationError({"threshold": _("Điều kiện số liệu cần có ngưỡng.")})
        if self.kind == PreconditionKind.TITLE and not self.required_title:
            raise ValidationError({"required_title": _("Chọn danh hiệu mà đơn vị phải đang giữ.")})

    def as_spec(self) -> PreconditionSpec:
        return PreconditionSpec(
            code=self.code,
            name=self.name,
            kind=self.kind,
            department=self.department.code if self.department_id else "",
            evidence=self.evidence,
            comparison=self.comparison,
            threshold=self.threshold,
            unit=self.unit,
            source=self.source,
            required_title=self.required_title,
            legal_basis=self.legal_basis,
            verified=self.verified,
        )


class CriterionPage(Page):
    number = models.PositiveSmallIntegerField(_("số thứ tự tiêu chí"))
    group = models.CharField(_("nhóm nội dung"), max_length=255, blank=True)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sở, ngành phụ trách"),
    )
    description = RichTextField(_("mô tả"), blank=True, features=SIMPLE_RICH_TEXT)
    rule = models.CharField(_("điều kiện đạt"), max_length=16, choices=CriterionRule.choices, default=CriterionRule.ALL)
    rule_min = models.DecimalField(
        _("k chỉ tiêu / điểm tối thiểu"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
    )

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("number"), FieldPanel("group")]),
        FieldPanel("department"),
        FieldRowPanel([FieldPanel("rule"), FieldPanel("rule_min")]),
        FieldPanel("description"),
        InlinePanel("indicators", label=_("Chỉ tiêu"), heading=_("Các chỉ tiêu")),
    ]
    api_fields = [
        APIField("number"),
        APIField("group"),
        APIField("rule"),
        APIField("description"),
    ]

    parent_page_types = ["criteria_pages.CriteriaSetPage"]
    subpage_types: list[str] = []
    template = "criteria_pages/criterion_page.html"
    base_form_class = CriterionPageForm

    class Meta:
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")

    def as_spec(self) -> CriterionSpec:
        department = self.department.code if self.department_id else ""
        return CriterionSpec(
            number=self.number,
            name=self.title,
            group=self.group,
            department=department,
            description=stable_richtext(self.description),
            rule=self.rule,
            rule_min=self.rule_min,
            indicators=tuple(indicator.as_spec(department) for indicator in self.indicators.all()),
        )

    @cached_property
    def is_scored(self) -> bool:
        """Whether the criterion is a part of an OCOP score sheet (its items are scored, not compared)."""
        return any(indicator.value_type == ValueType.SCORE for indicator in self.indicators.all())

    def clean(self):
        super().clean()
        if self.rule in (CriterionRule.AT_LEAST, CriterionRule.POINTS) and self.rule_min is None:
            raise ValidationError({"rule_min": _("Cần nhập k chỉ tiêu hoặc điểm tối thiểu cho điều kiện này.")})
        parent = self.get_parent() if self.pk else None
        if parent is not None:
            same_number = CriterionPage.objects.child_of(parent).filter(number=self.number).exclude(pk=self.pk)
            if same_number.exists():
                raise ValidationError({"number": _("Bộ tiêu chí này đã có tiêu chí số %(n)s.") % {"n": self.number}})


class Indicator(Orderable):
    page = ParentalKey(CriterionPage, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("mã chỉ tiêu"), max_length=20, help_text=_("Ví dụ: 8.4"))
    name = models.CharField(_("tên chỉ tiêu"), max_length=500)
    guidance = models.TextField(_("hướng dẫn"), blank=True)
    value_type = models.CharField(_("kiểu giá trị"), max_length=16, choices=ValueType.choices)
    unit = models.CharField(_("đơn vị tính"), max_length=50, blank=True)
    comparison = models.CharField(_("so sánh"), max_length=8, choices=Comparison.choices, default=Comparison.GTE)
    choices = models.TextField(
        _("các mức lựa chọn"),
        blank=True,
        help_text=_("Mỗi dòng một mức, từ thấp đến cao (cho kiểu “Chọn một mức”)."),
    )
    target = models.CharField(
        _("mức chung"),
        max_length=255,
        blank=True,
        help_text=_(
            "Áp dụng khi không có mức riêng cho nhóm của đơn vị. Có/Không: “có”; một trong: cách nhau bởi “;”."
        ),
    )
    group_targets = StreamField(
        [("group_target", GroupTargetBlock())],
        blank=True,
        verbose_name=_("mức theo vùng / nhóm"),
        help_text=_("Mức riêng cho từng giá trị phân loại; “n/a” nghĩa là không áp dụng cho nhóm đó."),
    )
    assessed = models.BooleanField(_("dùng để đánh giá"), default=True, help_text=_("Bỏ chọn nếu chỉ để theo dõi."))
    evidence_description = models.CharField(_("minh chứng cần nộp"), max_length=500, blank=True)
    evidence_required = models.BooleanField(_("bắt buộc minh chứng"), default=False)
    evidence_min_files = models.PositiveSmallIntegerField(_("số tệp tối thiểu"), default=0)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sở, ngành phụ trách (nếu khác tiêu chí)"),
    )
    points = models.DecimalField(_("điểm"), max_digits=8, decimal_places=2, null=True, blank=True)
    source_text = models.TextField(_("nguồn / trích dẫn"), blank=True)
    verified = models.BooleanField(_("đã đối chiếu với quyết định"), default=False)

    panels = [
        FieldRowPanel([FieldPanel("code"), FieldPanel("name")]),
        FieldPanel("guidance"),
        FieldRowPanel([FieldPanel("value_type"), FieldPanel("unit"), FieldPanel("comparison")]),
        FieldPanel("choices"),
        FieldPanel("target"),
        FieldPanel("group_targets"),
        FieldRowPanel([FieldPanel("assessed"), FieldPanel("points"), FieldPanel("department")]),
        FieldRowPanel(
            [FieldPanel("evidence_description"), FieldPanel("evidence_required"), FieldPanel("evidence_min_files")]
        ),
        FieldRowPanel([FieldPanel("source_text"), FieldPanel("verified")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def max_points_words(self) -> str:
        """A scored item's maximum as people read it: "Tối đa 15 điểm"."""
        return max_points_words(IndicatorSpec(code=self.code, name=self.name, points=self.points))

    @property
    def choice_list(self) -> tuple[str, ...]:
        return tuple(line.strip() for line in self.choices.splitlines() if line.strip())

    @property
    def targets_by_group(self) -> dict[str, str]:
        # The raw data: converting the blocks would read the group choices (a query) once per indicator.
        return {item["value"]["group"]: item["value"]["target"] for item in self.group_targets.raw_data}

    def as_spec(self, criterion_department: str = "") -> IndicatorSpec:
        department = self.department.code if self.department_id else ""
        spec = IndicatorSpec(
            code=self.code,
            name=self.name,
            value_type=self.value_type,
            comparison=self.comparison,
            target=self.target,
            targets=self.targets_by_group,
            choices=self.choice_list,
            unit=self.unit,
            guidance=self.guidance,
            assessed=self.assessed,
            evidence=EvidenceSpec(
                description=self.evidence_description,
                required=self.evidence_required,
                min_files=self.evidence_min_files,
            ),
            department=department if department != criterion_department else "",
            points=self.points,
            source_text=self.source_text,
            verified=self.verified,
        )
        # Date targets are typed dd/mm/yyyy here; a frozen spec holds them as yyyy-mm-dd.
        return replace(
            spec,
            target=canonical_target(spec, spec.target),
            targets={group: canonical_target(spec, target) for group, target in spec.targets.items()},
        )

    def clean(self):
        super().clean()
        errors = {}
        if self.value_type == ValueType.CHOICE and not self.choice_list:
            errors["choices"] = _("Kiểu “Chọn một mức” cần ít nhất một mức.")
        if self.evidence_required and self.evidence_min_files < 1:
            self.evidence_min_files = 1
        if self.value_type == ValueType.SCORE:  # scored 0..its points (OCOP): no target, a maximum
            if self.points is None or self.points <= 0:
                errors["points"] = _("Chỉ tiêu kiểu “Điểm chấm” cần điểm tối đa (lớn hơn 0) ở ô “điểm”.")
        elif not self.target and not self.group_targets and self.assessed:
            errors["target"] = _("Chỉ tiêu dùng để đánh giá cần mức chung hoặc mức theo nhóm.")
        if errors:
            raise ValidationError(errors)


class CriteriaSetVersion(models.Model):
    """An immutable snapshot of a published criteria set. Rounds reference these, never the pages."""

    set_page = models.ForeignKey(
        CriteriaSetPage, on_delete=models.PROTECT, related_name="versions", verbose_name=_("bộ tiêu chí")
    )
    number = models.PositiveIntegerField(_("phiên bản"))
    spec = models.JSONField(_("nội dung"), editable=False)
    checksum = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("ngày phát hành"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["set_page", "-number"]
        constraints = [models.UniqueConstraint(fields=["set_page", "number"], name="unique_version_number")]
        verbose_name = _("phiên bản bộ tiêu chí")
        verbose_name_plural = _("phiên bản bộ tiêu chí")

    def __str__(self):
        return f"{self.spec.get('name', self.set_page_id)} – v{self.number}"

    @cached_property
    def set_spec(self) -> SetSpec:
        return SetSpec.from_dict(self.spec)

    @cached_property
    def criteria_without_indicators(self) -> list[CriterionSpec]:
        """The criteria frozen without any indicator: a round may not open on this version while it has them."""
        return criteria_without_indicators(self.set_spec)


class EvaluationFormPage(Page):
    """The form communes fill for a criteria set: instructions and the office's own extra questions."""

    criteria_set = models.ForeignKey(
        CriteriaSetPage,
        on_delete=models.PROTECT,
        related_name="forms",
        verbose_name=_("bộ tiêu chí"),
    )
    instructions = RichTextField(_("hướng dẫn điền"), blank=True, features=SIMPLE_RICH_TEXT)
    sections = StreamField(
        [("section", FormSectionBlock())],
        blank=True,
        verbose_name=_("câu hỏi bổ sung"),
        help_text=_("Các phần câu hỏi riêng của Văn phòng, hiển thị sau các tiêu chí, theo thứ tự ở đây."),
    )

    content_panels = Page.content_panels + [
        PageChooserPanel("criteria_set", page_type="criteria_pages.CriteriaSetPage"),
        FieldPanel("instructions"),
        FieldPanel("sections"),
    ]
    api_fields = [APIField("instructions"), APIField("sections")]

    parent_page_types = ["criteria_pages.CriteriaIndexPage"]
    subpage_types: list[str] = []
    template = "criteria_pages/evaluation_form_page.html"

    class Meta:
        verbose_name = _("biểu mẫu đánh giá")
        verbose_name_plural = _("biểu mẫu đánh giá")

    @property
    def preview_modes(self):
        """One preview per classification value, so the editor sees each group's targets."""
        modes = [("", _("Mức chung"))]
        classification = self.criteria_set.classification if self.criteria_set_id else None
        if classification is not None:
            modes += [(value.code, value.name) for value in classification.values.all()]
        return modes

    def build_form(self, *, group: str | None = None, data=None, files=None, initial=None) -> EvaluationForm:
        spec = self.criteria_set.specific.as_spec()
        return EvaluationForm(data, files, spec=spec, group=group, sections=self.sections, initial=initial)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        group = kwargs.get("group") or None
        context["form"] = self.build_form(group=group)
        context["group_label"] = dict(self.preview_modes).get(group or "", "")
        return context

    def serve_preview(self, request, mode_name):
        return self.serve(request, group=mode_name)
