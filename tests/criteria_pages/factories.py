"""Builders for criteria sets: page factories (set, criterion, evaluation form), indicator and band rows and
frozen versions; the small set the rounds tests use (:func:`round_spec`); and the data the page editor's admin
forms post (:func:`set_form`, :func:`criterion_form`, :func:`indicator_form`)."""

from decimal import Decimal

from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

import factory

from cms.directory.models import Classification
from criteria_pages import services
from criteria_pages.models import (
    CriteriaIndexPage,
    CriteriaSetPage,
    CriteriaSetVersion,
    CriterionPage,
    EvaluationFormPage,
    Indicator,
    ScoreBandRow,
)
from criteria_pages.spec import Comparison, CriterionSpec, EvidenceSpec, IndicatorSpec, SetSpec, ValueType
from tests.factories import PageFactory, SingletonPageFactory


class CriteriaIndexPageFactory(SingletonPageFactory):
    """Where the office keeps its sets and forms (the one index, which the migrations create)."""

    class Meta:
        model = CriteriaIndexPage

    @classmethod
    def defaults(cls) -> dict:
        return {"title": "Bộ tiêu chí", "slug": "bo-tieu-chi", "show_in_menus": True}

    @classmethod
    def default_parent(cls):
        return Page.objects.filter(depth=2, content_type__app_label="public_site").get().specific


def criteria_index() -> CriteriaIndexPage:
    """The one criteria index, created by the migrations."""
    return CriteriaIndexPageFactory()


class CriteriaSetPageFactory(PageFactory):
    """A set page under the criteria index, classified by region. Publishing it does not freeze a version:
    :func:`criteria_pages.services.criteria_set_freeze` (or :class:`CriteriaSetVersionFactory`) does."""

    class Meta:
        model = CriteriaSetPage

    title = factory.Sequence(lambda n: f"Bộ tiêu chí thử {n}")
    code = factory.Sequence(lambda n: f"BO_THU_{n}")
    slug = factory.LazyAttribute(lambda page: page.code.lower().replace("_", "-"))
    classification = factory.LazyFunction(lambda: Classification.objects.get(code="region"))

    @classmethod
    def default_parent(cls):
        return criteria_index()


class CriterionPageFactory(PageFactory):
    """A criterion of a set: pass ``parent=<set page>``."""

    class Meta:
        model = CriterionPage

    number = factory.Sequence(lambda n: n + 1)
    title = factory.LazyAttribute(lambda page: f"Tiêu chí số {page.number}")
    slug = factory.LazyAttribute(lambda page: f"tieu-chi-{page.number}")


class IndicatorFactory(factory.django.DjangoModelFactory):
    """A yes/no indicator met by "có", on ``page`` (a criterion page)."""

    class Meta:
        model = Indicator

    page = factory.SubFactory(
        CriterionPageFactory, parent=factory.LazyFunction(lambda: CriteriaSetPageFactory(publish=False))
    )
    code = factory.LazyAttributeSequence(lambda indicator, n: f"{indicator.page.number}.{n + 1}")
    name = factory.LazyAttribute(lambda indicator: f"Chỉ tiêu {indicator.code}")
    value_type = ValueType.BOOLEAN
    comparison = Comparison.GTE
    target = "có"
    sort_order = factory.Sequence(lambda n: n)


class ScoreBandRowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScoreBandRow

    page = factory.SubFactory(CriteriaSetPageFactory)
    label = factory.Sequence(lambda n: f"{n + 1} sao")
    min_points = Decimal(50)
    sort_order = factory.Sequence(lambda n: n)


class CriteriaSetVersionFactory(factory.django.DjangoModelFactory):
    """A frozen version of what is live in ``set_page`` now (rounds reference versions, never pages)."""

    class Meta:
        model = CriteriaSetVersion

    set_page = factory.SubFactory(CriteriaSetPageFactory)
    number = factory.LazyAttribute(lambda version: version.set_page.versions.count() + 1)
    spec = factory.LazyAttribute(lambda version: version.set_page.as_spec().to_dict())
    checksum = factory.LazyAttribute(lambda version: services.spec_checksum(SetSpec.from_dict(version.spec)))


class EvaluationFormPageFactory(PageFactory):
    """The form communes fill for ``criteria_set``, with the office's own questions in ``sections``."""

    class Meta:
        model = EvaluationFormPage

    title = factory.Sequence(lambda n: f"Biểu mẫu đánh giá {n}")
    criteria_set = factory.SubFactory(CriteriaSetPageFactory)
    sections = factory.LazyFunction(list)

    @classmethod
    def default_parent(cls):
        return criteria_index()


def question_section(*labels: str, title: str = "Người lập biểu") -> tuple:
    """A section of required short questions, for ``EvaluationFormPageFactory(sections=[...])``."""
    questions = [("short_text", {"label": label, "help_text": "", "required": True}) for label in labels]
    return ("section", {"title": title, "description": "", "questions": questions})


def round_spec() -> SetSpec:
    """The small set of the rounds and review tests: criteria 1 and 2 (construction, so-xd; 1.1 needs a file,
    2.1 has a Tây Nguyên target) and 10 (agriculture, so-nnmt; with points)."""
    return SetSpec(
        code="THU_DOT",
        name="Bộ tiêu chí thử cho đợt",
        classification="region",
        criteria=(
            CriterionSpec(
                number=1,
                name="Quy hoạch",
                department="so-xd",
                indicators=(
                    IndicatorSpec(
                        code="1.1",
                        name="Có quy hoạch chung xây dựng xã được phê duyệt",
                        value_type=ValueType.BOOLEAN,
                        target="có",
                        evidence=EvidenceSpec(description="Quyết định phê duyệt", required=True, min_files=1),
                    ),
                ),
            ),
            CriterionSpec(
                number=2,
                name="Giao thông",
                department="so-xd",
                indicators=(
                    IndicatorSpec(
                        code="2.1",
                        name="Tỷ lệ đường xã được nhựa hóa",
                        value_type=ValueType.PERCENTAGE,
                        comparison=Comparison.GTE,
                        target="100",
                        targets={"TN": "90"},
                        unit="%",
                    ),
                    IndicatorSpec(
                        code="2.2",
                        name="Số km đường thôn được cứng hóa",
                        value_type=ValueType.NUMBER,
                        comparison=Comparison.GTE,
                        target="5",
                        unit="km",
                    ),
                ),
            ),
            CriterionSpec(
                number=10,
                name="Thu nhập",
                department="so-nnmt",
                indicators=(
                    IndicatorSpec(
                        code="10.1",
                        name="Thu nhập bình quân đầu người",
                        value_type=ValueType.NUMBER,
                        comparison=Comparison.GTE,
                        target="48",
                        unit="triệu đồng/người/năm",
                        points=Decimal("10"),
                    ),
                ),
            ),
        ),
    )


# --- what the page editor posts ------------------------------------------------------------------------------


def set_form(**overrides):
    data = {
        "title": "Bộ tiêu chí xã NTM thử nghiệm",
        "slug": "bo-thu-nghiem",
        "code": "THU_NGHIEM",
        "legal_basis": "Quyết định 318/QĐ-TTg",
        "decision_number": "318/QĐ-TTg",
        "decision_date": "2022-03-08",
        "valid_from": "",
        "valid_to": "",
        "level": "commune",
        "classification": Classification.objects.get(code="region").pk,
        "standard_rule": "all",
        "standard_min": "",
        "bands": inline_formset([]),
        "grants_title": "",
        "preconditions": inline_formset([]),
        "description": rich_text(""),
        "action-publish": "publish",
    }
    data.update(overrides)
    return nested_form_data(data)


def indicator_form(code, name, target, tn_target=None, **overrides):
    row = {
        "code": code,
        "name": name,
        "guidance": "",
        "value_type": "percentage",
        "unit": "%",
        "comparison": "gte",
        "choices": "",
        "target": target,
        "group_targets": streamfield(
            [("group_target", {"group": "TN", "target": tn_target})] if tn_target is not None else []
        ),
        "assessed": "on",
        "evidence_description": "Báo cáo của UBND xã",
        "evidence_required": "on",
        "evidence_min_files": "1",
        "department": "",
        "points": "",
        "source_text": "",
        "verified": "",
    }
    row.update(overrides)
    return row


def criterion_form(number, title, department, indicators, initial_indicators=0, **overrides):
    data = {
        "title": title,
        "slug": f"tieu-chi-{number}",
        "number": str(number),
        "group": "II. Hạ tầng kinh tế - xã hội",
        "department": department.pk,
        "rule": "all",
        "rule_min": "",
        "description": rich_text(""),
        "indicators": inline_formset(indicators, initial=initial_indicators),
        "action-publish": "publish",
    }
    data.update(overrides)
    return nested_form_data(data)
