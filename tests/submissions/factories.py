"""Builders for rounds and submissions: factories for every model (results written straight to the tables the
statistics and the public pages read), :func:`fill_and_submit` (a commune's submission through the services),
and the generated rounds of the statistics and exports tests (:func:`statistics_data_build`)."""

import datetime
import hashlib
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

import factory

from cms.directory.models import Role
from criteria_pages import services as criteria_services
from criteria_pages.models import CriteriaIndexPage
from criteria_pages.spec import CriterionSpec, IndicatorSpec, SetSpec, ValueType
from submissions.entry import services as entry_services
from submissions.models import (
    AppraisalStatus,
    CriterionAppraisal,
    CriterionResult,
    Evidence,
    IndicatorValue,
    ReturnedItem,
    Round,
    RoundKind,
    RoundStatus,
    Submission,
    SubmissionStatus,
)
from submissions.reports.statistics import Basis
from submissions.review import flow as review
from tests.criteria_pages.factories import CriteriaSetVersionFactory
from tests.factories import DepartmentFactory, UnitFactory, UserFactory, commune, district, member, province

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class RoundFactory(factory.django.DjangoModelFactory):
    """A closed yearly round of ``year`` (pass ``criteria_version``, or one is made from a new set)."""

    class Meta:
        model = Round

    class Params:
        year = 2026

    name = factory.LazyAttribute(lambda o: f"Đánh giá năm {o.year}")
    kind = RoundKind.YEARLY
    period_start = factory.LazyAttribute(lambda o: datetime.date(o.year, 1, 1))
    period_end = factory.LazyAttribute(lambda o: datetime.date(o.year, 12, 31))
    opens_on = factory.LazyAttribute(lambda o: datetime.date(o.year, 11, 1))
    due_on = factory.LazyAttribute(lambda o: datetime.date(o.year, 12, 15))
    status = RoundStatus.CLOSED
    criteria_version = factory.SubFactory(CriteriaSetVersionFactory)


class SubmissionFactory(factory.django.DjangoModelFactory):
    """A submission with one stored verdict per criterion: ``met={1: True, 2: False}`` (recognised and
    published unless told; :func:`result` also writes the criterion rows)."""

    class Meta:
        model = Submission

    class Params:
        met = factory.LazyFunction(dict)

    round = factory.SubFactory(RoundFactory)
    unit = factory.SubFactory(UnitFactory)
    status = SubmissionStatus.RECOGNISED
    published = True
    published_at = factory.LazyAttribute(lambda o: timezone.now() if o.published else None)
    recognised_at = factory.LazyAttribute(lambda o: timezone.now() if o.status == SubmissionStatus.RECOGNISED else None)
    decision_number = factory.Sequence(lambda n: f"{n}/QĐ-UBND")
    decision_date = factory.LazyAttribute(lambda o: o.round.period_end)
    criteria_met = factory.LazyAttribute(lambda o: sum(1 for value in o.met.values() if value))
    criteria_applicable = factory.LazyAttribute(lambda o: len(o.met))
    standard_reached = factory.LazyAttribute(lambda o: bool(o.met) and all(o.met.values()))


class CriterionResultFactory(factory.django.DjangoModelFactory):
    """The stored verdict of one criterion (met unless told)."""

    class Meta:
        model = CriterionResult

    class Params:
        value = True

    submission = factory.SubFactory(SubmissionFactory)
    number = factory.Sequence(lambda n: n + 1)
    met = factory.SelfAttribute("value")
    computed_met = factory.SelfAttribute("value")
    status = factory.LazyAttribute(lambda o: "met" if o.value else "not_met")


def result(round_, unit, met: dict[int, bool], **kwargs) -> Submission:
    """A result of ``unit`` in ``round_`` with the given verdicts (recognised and published unless told)."""
    submission = SubmissionFactory(round=round_, unit=unit, met=met, **kwargs)
    CriterionResult.objects.bulk_create(
        CriterionResultFactory.build(submission=submission, number=number, value=value) for number, value in met.items()
    )
    return submission


class IndicatorValueFactory(factory.django.DjangoModelFactory):
    """A value the commune entered for indicator ``code`` (a met "có" by default)."""

    class Meta:
        model = IndicatorValue

    submission = factory.SubFactory(SubmissionFactory)
    code = "1.1"
    criterion_number = factory.LazyAttribute(lambda o: int(o.code.split(".")[0]))
    raw = "có"
    status = "met"
    computed_status = factory.SelfAttribute("status")


class EvidenceFactory(factory.django.DjangoModelFactory):
    """An evidence file (a small PDF) of indicator ``indicator_code``, in the private storage."""

    class Meta:
        model = Evidence

    submission = factory.SubFactory(SubmissionFactory)
    indicator_code = "1.1"
    file = factory.django.FileField(data=PDF, filename="minh-chung.pdf")
    original_name = "minh-chung.pdf"
    content_type = "application/pdf"
    size = len(PDF)
    sha256 = hashlib.sha256(PDF).hexdigest()


class CriterionAppraisalFactory(factory.django.DjangoModelFactory):
    """A department's appraisal of one criterion, pending unless told."""

    class Meta:
        model = CriterionAppraisal

    submission = factory.SubFactory(SubmissionFactory)
    number = factory.Sequence(lambda n: n + 1)
    department = factory.SubFactory(DepartmentFactory)
    status = AppraisalStatus.PENDING


class ReturnedItemFactory(factory.django.DjangoModelFactory):
    """What a reviewer asked the commune to fix (criterion 1 at the district's stage by default)."""

    class Meta:
        model = ReturnedItem

    submission = factory.SubFactory(SubmissionFactory, status=SubmissionStatus.RETURNED, published=False)
    stage = SubmissionStatus.SUBMITTED
    criterion_number = 1
    comment = "Bổ sung số liệu"
    created_by = factory.SubFactory(UserFactory)


def fill_and_submit(submission, user, question_key, **raws):
    """``user`` (the commune's officer) fills every value of :func:`round_spec`'s set (or ``raws``), answers
    the form's question ``question_key``, adds the required file of 1.1 and submits, through the services."""
    values = {"1.1": "có", "2.1": "95", "2.2": "7", "10.1": "50"}
    values.update(raws)
    entry_services.submission_save(
        submission=submission, raws=values, answers={question_key: "Nguyễn Văn An"}, user=user
    )
    entry_services.evidence_add(
        submission=submission, indicator_code="1.1", upload=SimpleUploadedFile("qd.pdf", PDF), user=user
    )
    submission.refresh_from_db()
    review.submission_submit(submission=submission, user=user, required_questions={question_key: "Họ và tên người lập"})
    submission.refresh_from_db()
    return submission


# --- the generated rounds of the statistics and exports tests --------------------------------------------
#
# The data is generated from a plan (:class:`Row`): per commune, its status, whether it is published, which
# criteria it meets and any standard override. The expected numbers are computed from the plan in plain
# Python, independently of the selectors (which only aggregate in the database). Province 66 has 152
# communes of which exactly 79 meet all 19 criteria, with 2421 criteria met in total: 2421 / 152 = 15.927…
# → 15.93.

CRITERIA = 19
DEPARTMENTS = ("so-xd", "so-nnmt", "so-vhttdl")
DEPARTMENT_NAMES = {"so-xd": "Sở Xây dựng", "so-nnmt": "Sở Nông nghiệp và Môi trường", "so-vhttdl": "Sở Văn hóa"}
#: Criteria met by the 152 communes of province 66: 79 × 19 + 10 × (18 + 17 + 16 + 15 + 10) + 22 × 7 + 6 = 2421.
PROVINCE_COUNTS = [19] * 79 + [18] * 10 + [17] * 10 + [16] * 10 + [15] * 10 + [10] * 10 + [7] * 22 + [6]
NOW = timezone.now()


def department_of(number: int) -> str:
    return DEPARTMENTS[(number - 1) % len(DEPARTMENTS)]


def statistics_spec() -> SetSpec:
    return SetSpec(
        code="NTM_XA_THONG_KE",
        name="Bộ tiêu chí xã (thử thống kê)",
        classification="region",
        criteria=tuple(
            CriterionSpec(
                number=number,
                name=f"Tiêu chí số {number}",
                department=department_of(number),
                indicators=(
                    IndicatorSpec(
                        code=f"{number}.1", name=f"Chỉ tiêu {number}.1", value_type=ValueType.BOOLEAN, target="có"
                    ),
                ),
            )
            for number in range(1, CRITERIA + 1)
        ),
    )


def met_set(index: int, count: int) -> frozenset[int]:
    """Criteria met by commune ``index`` meeting ``count``: the ones missed rotate with the index."""
    missed = {(index + offset) % CRITERIA + 1 for offset in range(CRITERIA - count)}
    return frozenset(set(range(1, CRITERIA + 1)) - missed)


@dataclass
class Row:
    """The plan of one commune's submission."""

    province: str
    district: str
    code: str
    group: str
    status: str
    published: bool
    met: frozenset[int]
    first_submitted: bool = True
    override: bool | None = None
    entered_days_ago: int = 1
    appraisals: dict[int, str] = field(default_factory=dict)  # criterion -> appraisal status

    @property
    def criteria_met(self) -> int:
        return len(self.met)

    @property
    def standard(self) -> bool:
        return (self.criteria_met == CRITERIA) if self.override is None else self.override

    def counted(self, basis: str) -> bool:
        if basis == Basis.ALL:
            return True
        if basis == Basis.RECOGNISED:
            return self.status == SubmissionStatus.RECOGNISED
        return self.status == SubmissionStatus.RECOGNISED and self.published


def province_rows() -> list[Row]:
    """Province 66: 152 communes in four districts, all recognised and published, every appraisal approved."""
    return [
        Row(
            province="66",
            district=f"60{index % 4}",
            code=f"24{index:03d}",
            group="TN",
            status=SubmissionStatus.RECOGNISED,
            published=True,
            met=met_set(index, count),
            appraisals=dict.fromkeys(range(1, CRITERIA + 1), AppraisalStatus.APPROVED),
        )
        for index, count in enumerate(PROVINCE_COUNTS)
    ]


def other_rows() -> list[Row]:
    """Province 67: ten communes at every stage, with overrides, unpublished results and pending appraisals."""
    appraisal_mix = {
        **dict.fromkeys(range(1, 4), AppraisalStatus.APPROVED),
        4: AppraisalStatus.RETURNED,
        **dict.fromkeys(range(5, CRITERIA + 1), AppraisalStatus.PENDING),
    }
    plan = [
        # status, published, criteria met, first submitted, override, days at stage, appraisals
        (SubmissionStatus.DRAFT, False, 3, False, None, 1, {}),
        (SubmissionStatus.SUBMITTED, False, 10, True, None, 3, {}),
        (SubmissionStatus.APPRAISAL, False, 12, True, None, 20, appraisal_mix),
        (
            SubmissionStatus.APPRAISAL,
            False,
            14,
            True,
            None,
            2,
            dict.fromkeys(range(1, CRITERIA + 1), AppraisalStatus.PENDING),
        ),
        (SubmissionStatus.RECOGNITION, False, 19, True, None, 1, {}),
        (SubmissionStatus.RETURNED, False, 8, True, None, 1, {}),
        (SubmissionStatus.RECOGNISED, False, 19, True, None, 1, {}),
        (SubmissionStatus.RECOGNISED, False, 11, True, True, 1, {}),
        (SubmissionStatus.RECOGNISED, True, 19, True, False, 1, {}),
        (SubmissionStatus.RECOGNISED, True, 16, True, None, 1, {}),
    ]
    return [
        Row(
            province="67",
            district="660",
            code=f"25{index:03d}",
            group="DHNTB",
            status=status,
            published=published,
            met=met_set(index, count),
            first_submitted=first,
            override=override,
            entered_days_ago=days,
            appraisals=appraisals,
        )
        for index, (status, published, count, first, override, days, appraisals) in enumerate(plan)
    ]


def previous_rows(current: list[Row]) -> dict[str, frozenset[int]]:
    """Criteria met in the previous round, by commune code: a few communes of province 66 changed."""
    by_code = {row.code: row for row in current}
    everything = frozenset(range(1, CRITERIA + 1))
    return {
        **{f"24{index:03d}": everything - {1} for index in range(5)},  # each gained criterion 1
        "24005": everything - {2, 3},  # gained 2 and 3
        "24079": everything,  # lost the one it misses now
        "24080": by_code["24080"].met - {6},  # gained 6
        "24006": by_code["24006"].met,  # unchanged
    }


@dataclass
class Data:
    spec: SetSpec
    round: Round
    previous: Round
    rows: list[Row]
    previous_met: dict[str, frozenset[int]]
    provinces: dict
    districts: dict
    units: dict
    office: object
    superuser: object

    def expected(self, basis: str, *, province: str | None = None, district: str | None = None, group: str = ""):
        """The summary computed from the plan, in plain Python."""
        rows = [
            row
            for row in self.rows
            if (province is None or row.province == province)
            and (district is None or row.district == district)
            and (not group or row.group == group)
        ]
        counted = [row for row in rows if row.counted(basis)]
        total = sum(row.criteria_met for row in counted)
        return {
            "units_in_scope": len(rows),
            "units_counted": len(counted),
            "units_submitted": sum(row.first_submitted for row in counted),
            "units_recognised": sum(row.status == SubmissionStatus.RECOGNISED for row in counted),
            "units_meeting_all": sum(row.criteria_met == CRITERIA for row in counted),
            "units_reaching_standard": sum(row.standard for row in counted),
            "criteria_met_total": total,
            "average": (Decimal(total) / len(counted)).quantize(Decimal("0.01")) if counted else Decimal("0.00"),
            "criteria": {n: sum(n in row.met for row in counted) for n in range(1, CRITERIA + 1)},
            "distribution": Counter(row.criteria_met for row in counted),
            "stages": Counter(row.status for row in counted),
        }


def _submissions(round_, rows: list[Row], units: dict, met_of=lambda row: row.met) -> None:
    submissions = Submission.objects.bulk_create(
        [
            Submission(
                round=round_,
                unit=units[row.code],
                group=row.group,
                status=row.status,
                published=row.published,
                criteria_met=len(met_of(row)),
                criteria_applicable=CRITERIA,
                standard_reached=len(met_of(row)) == CRITERIA,
                standard_override=row.override,
                first_submitted_at=NOW - datetime.timedelta(days=30) if row.first_submitted else None,
                stage_entered_at=NOW - datetime.timedelta(days=row.entered_days_ago),
            )
            for row in rows
        ]
    )
    CriterionResult.objects.bulk_create(
        [
            CriterionResult(
                submission=submission,
                number=number,
                status="met" if number in met_of(row) else "not_met",
                met=number in met_of(row),
                computed_met=number in met_of(row),
            )
            for submission, row in zip(submissions, rows, strict=True)
            for number in range(1, CRITERIA + 1)
        ]
    )
    return submissions


def statistics_data_build() -> Data:
    departments = {code: DepartmentFactory(code=code, name=name) for code, name in DEPARTMENT_NAMES.items()}
    provinces = {"66": province(), "67": province("67", "Tỉnh Đắk Nông")}
    districts = {
        **{f"60{i}": district(provinces["66"], f"60{i}", f"Huyện Số {i}") for i in range(4)},
        "660": district(provinces["67"], "660", "Huyện Đắk Mil"),
    }
    rows = province_rows() + other_rows()
    units = {row.code: commune(districts[row.district], row.code, f"Xã {row.code}") for row in rows}
    _page, version = criteria_services.criteria_set_import(
        spec=statistics_spec(), parent=CriteriaIndexPage.objects.get()
    )

    def make_round(name, opens_on, status):
        round_ = Round.objects.create(
            name=name,
            kind=RoundKind.YEARLY,
            period_start=opens_on.replace(month=1, day=1),
            period_end=opens_on.replace(month=12, day=31),
            criteria_version=version,
            opens_on=opens_on,
            due_on=opens_on + datetime.timedelta(days=45),
            status=status,
        )
        round_.scope_units.set(units.values())
        return round_

    previous = make_round("Đánh giá năm 2025", datetime.date(2025, 11, 1), RoundStatus.CLOSED)
    round_ = make_round("Đánh giá năm 2026", datetime.date(2026, 11, 1), RoundStatus.OPEN)
    submissions = _submissions(round_, rows, units)
    CriterionAppraisal.objects.bulk_create(
        [
            CriterionAppraisal(
                submission=submission,
                number=number,
                department=departments[department_of(number)],
                status=status,
                comment=f"Ý kiến tiêu chí {number}" if status == AppraisalStatus.APPROVED else "",
                appraised_at=NOW - datetime.timedelta(days=5) if status != AppraisalStatus.PENDING else None,
            )
            for submission, row in zip(submissions, rows, strict=True)
            for number, status in row.appraisals.items()
        ]
    )
    previous_met = previous_rows(rows)
    earlier = [row for row in rows if row.code in previous_met]
    _submissions(previous, earlier, units, met_of=lambda row: previous_met[row.code])
    return Data(
        spec=statistics_spec(),
        round=Round.objects.select_related("criteria_version").get(pk=round_.pk),
        previous=previous,
        rows=rows,
        previous_met=previous_met,
        provinces=provinces,
        districts=districts,
        units=units,
        office=member(Role.OFFICE_EDITOR, unit=provinces["66"], username="vanphong66"),
        superuser=UserFactory(username="quantri", is_superuser=True, is_staff=True),
    )


def tree_order(rows: list[Row]) -> list[Row]:
    """Rows in the order of the unit tree (by path: province, district, commune)."""
    return sorted(rows, key=lambda row: (row.province, row.district, row.code))
