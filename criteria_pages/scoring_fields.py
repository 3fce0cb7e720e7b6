"""The OCOP scoring rule of a criteria set, as page fields (an abstract mixin of ``CriteriaSetPage``).

Shown in the set editor's "Chấm điểm OCOP" panel and frozen into each version as ``SetSpec.scoring`` when the set's
level is "Sản phẩm": how a council's members' totals become one score (average, rounding) and the stars its bands
give, when a spread is flagged, how long a certificate lasts and when its holder is reminded.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from .spec import ScoreAverage, ScoreRounding, ScoringRule, SetLevel, StandardRule, ValueType

DEFAULT = ScoringRule()


class OcopScoringFields(models.Model):
    """The rule's fields; left out of a posted form (a set that is not OCOP), each keeps its default."""

    score_average = models.CharField(
        _("điểm hội đồng"), max_length=16, choices=ScoreAverage.choices, blank=True, default=DEFAULT.average
    )
    score_decimals = models.PositiveSmallIntegerField(
        _("số chữ số thập phân"),
        blank=True,
        default=DEFAULT.decimals,
        help_text=_("Điểm hội đồng được làm tròn đến số chữ số này."),
    )
    score_rounding = models.CharField(
        _("cách làm tròn"), max_length=16, choices=ScoreRounding.choices, blank=True, default=DEFAULT.rounding
    )
    score_gap = models.DecimalField(
        _("chênh lệch cần thảo luận"),
        max_digits=6,
        decimal_places=2,
        blank=True,
        default=DEFAULT.gap,
        help_text=_("Sản phẩm có điểm các thành viên chênh nhau quá mức này được đánh dấu để hội đồng thảo luận."),
    )
    certificate_months = models.PositiveSmallIntegerField(
        _("hiệu lực chứng nhận (tháng)"), blank=True, default=DEFAULT.certificate_months
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("nhắc trước khi hết hạn (ngày)"), blank=True, default=DEFAULT.reminder_days
    )
    min_recognised_stars = models.PositiveSmallIntegerField(
        _("số sao tối thiểu được công nhận"), blank=True, default=DEFAULT.min_recognised_stars
    )
    national_stars = models.PositiveSmallIntegerField(
        _("số sao do Trung ương công nhận"), blank=True, default=DEFAULT.national_stars
    )
    bands_verified = models.BooleanField(
        _("khung điểm đã đối chiếu văn bản"),
        default=False,
        help_text=_("Bỏ chọn khi khung điểm lấy từ nguồn chưa đối chiếu với quyết định (hiện cảnh báo)."),
    )
    bands_source = models.CharField(_("nguồn khung điểm"), max_length=500, blank=True)

    scoring_panel = MultiFieldPanel(
        [
            FieldRowPanel([FieldPanel("score_average"), FieldPanel("score_decimals"), FieldPanel("score_rounding")]),
            FieldRowPanel([FieldPanel("score_gap"), FieldPanel("min_recognised_stars"), FieldPanel("national_stars")]),
            FieldRowPanel([FieldPanel("certificate_months"), FieldPanel("reminder_days")]),
            FieldRowPanel([FieldPanel("bands_verified"), FieldPanel("bands_source")]),
        ],
        heading=_("Chấm điểm OCOP (bộ tiêu chí cấp sản phẩm)"),
        classname="collapsed",
    )

    class Meta:
        abstract = True

    def scoring_rule(self) -> ScoringRule | None:
        """The rule frozen with the version: only a product-level set has one."""
        if self.level != SetLevel.PRODUCT:
            return None
        return ScoringRule(
            average=self.score_average,
            decimals=self.score_decimals,
            rounding=self.score_rounding,
            gap=Decimal(self.score_gap),
            certificate_months=self.certificate_months,
            reminder_days=self.reminder_days,
            min_recognised_stars=self.min_recognised_stars,
            national_stars=self.national_stars,
            bands_verified=self.bands_verified,
            bands_source=self.bands_source,
        )


def product_set_problems(spec) -> list[str]:
    """Why a product-level set cannot be scored by a council (empty when it can, or when it is not one)."""
    if spec.level != SetLevel.PRODUCT:
        return []
    problems = []
    if spec.standard_rule != StandardRule.SCORE:
        problems.append(_("Bộ cấp sản phẩm phải dùng điều kiện “Tổng điểm đạt ngưỡng”."))
    if not any(band.stars for band in spec.bands):
        problems.append(_("Khung xếp hạng cần ghi số sao của từng hạng."))
    if not any(indicator.value_type == ValueType.SCORE for _criterion, indicator in spec.indicators()):
        problems.append(_("Bộ cấp sản phẩm cần ít nhất một chỉ tiêu kiểu “Điểm chấm”."))
    return problems


def validate_product_set(spec) -> None:
    problems = product_set_problems(spec)
    if problems:
        raise ValidationError(problems)
