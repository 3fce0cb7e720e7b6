"""Reads of recognition preconditions: each precondition of a submission as the pages, the API and the recognition
dossier show it (:func:`preconditions_of`)."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch

from cms.directory.access import departments_of_province
from cms.directory.models import Department
from criteria_pages.spec import Comparison, FigureSource, PreconditionKind, PreconditionSpec, TitleKind
from submissions import access
from submissions.models import Submission, SubmissionStatus
from submissions.recognition import rules
from submissions.recognition.models import PreconditionEvidence, PreconditionResult, PreconditionStatus

#: The stages at which preconditions are confirmed, entered and waived (and their panel offers to).
ACTIVE_STAGES = (SubmissionStatus.APPRAISAL, SubmissionStatus.RECOGNITION)


def number_text(value: Decimal | None) -> str:
    """A number as the Vietnamese pages write it: 92,5 (no trailing zeros), "" for none."""
    if value is None:
        return ""
    value = Decimal(value)
    text = str(int(value)) if value == value.to_integral_value() else format(value.normalize(), "f")
    return text.replace(".", ",")


def threshold_text(spec: PreconditionSpec) -> str:
    """The figure's condition as read: "≥ 90 %" ("" when the precondition is not a figure)."""
    if spec.kind != PreconditionKind.FIGURE or spec.threshold is None:
        return ""
    comparison = Comparison(spec.comparison).label if spec.comparison in Comparison.values else spec.comparison
    return " ".join(part for part in (str(comparison), number_text(spec.threshold), spec.unit) if part)


@dataclass
class PreconditionView:
    """One precondition of one submission, with where it stands."""

    spec: PreconditionSpec
    result: PreconditionResult | None
    status: str
    value: Decimal | None
    department: Department | None
    evidence: list[PreconditionEvidence] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.spec.code

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def kind(self) -> str:
        return self.spec.kind

    @property
    def kind_label(self) -> str:
        return str(PreconditionKind(self.spec.kind).label) if self.spec.kind in PreconditionKind.values else ""

    @property
    def source_label(self) -> str:
        if self.spec.kind != PreconditionKind.FIGURE:
            return ""
        return str(FigureSource(self.spec.source).label) if self.spec.source in FigureSource.values else ""

    @property
    def required_title_label(self) -> str:
        title = self.spec.required_title
        return str(TitleKind(title).label) if title in TitleKind.values else title

    @property
    def status_label(self) -> str:
        return str(PreconditionStatus(self.status).label)

    @property
    def cleared(self) -> bool:
        return self.status in rules.CLEARED

    @property
    def waived(self) -> bool:
        return self.status == PreconditionStatus.WAIVED

    @property
    def value_text(self) -> str:
        text = number_text(self.value)
        return f"{text} {self.spec.unit}".strip() if text else ""

    @property
    def threshold_text(self) -> str:
        return threshold_text(self.spec)

    @property
    def department_name(self) -> str:
        return self.department.name if self.department is not None else ""

    @property
    def live(self) -> bool:
        """Checked by the system (title held, satisfaction rate): nobody confirms it, the office may waive it."""
        return rules.is_live(self.spec)

    @property
    def confirmable(self) -> bool:
        """Confirmed Có/Không or entered by a department (or the office)."""
        return not self.live

    @property
    def waiver_reason(self) -> str:
        return self.result.waiver_reason if self.result is not None and self.waived else ""

    @property
    def note(self) -> str:
        return self.result.note if self.result is not None else ""

    @property
    def confirmed_by(self):
        return self.result.confirmed_by if self.result is not None else None

    @property
    def confirmed_at(self):
        return self.result.confirmed_at if self.result is not None else None

    @property
    def waived_by(self):
        return self.result.waived_by if self.result is not None and self.waived else None

    @property
    def waived_at(self):
        return self.result.waived_at if self.result is not None and self.waived else None


def preconditions_of(submission: Submission) -> list[PreconditionView]:
    """Every precondition of ``submission``'s round set version, in the set's order, with its status (now, titles and
    the satisfaction rate read live; once recognised, as stored at recognition), value, threshold, department,
    evidence and waiver reason. Rows not made yet (:func:`~submissions.recognition.services.preconditions_ensure`)
    show as pending."""
    specs = submission.round.spec.preconditions
    if not specs:
        return []
    results = {
        result.code: result
        for result in PreconditionResult.objects.filter(submission=submission)
        .select_related("department", "confirmed_by", "waived_by")
        .prefetch_related(Prefetch("evidence", queryset=PreconditionEvidence.objects.order_by("uploaded_at", "pk")))
    }
    for result in results.values():
        result.submission = submission  # the access checks of each row read it: no query per row
    inputs = (
        rules.live_inputs([submission], results={submission.pk: results})
        if submission.status != SubmissionStatus.RECOGNISED
        else None
    )
    missing = {spec.department for spec in specs if spec.department and spec.code not in results}
    departments = (
        {
            department.code: department
            for department in departments_of_province(submission.unit).filter(code__in=missing)
        }
        if missing
        else {}
    )
    # Recognised: as they stood when it was recognised (stored then), not as titles and answers stand today.
    frozen = submission.status == SubmissionStatus.RECOGNISED
    views = []
    for spec in specs:
        result = results.get(spec.code)
        if frozen:
            state = rules.Standing(result.status, result.value) if result is not None else rules.Standing("pending")
        else:
            state = inputs.standing(submission, spec)
        views.append(
            PreconditionView(
                spec=spec,
                result=result,
                status=state.status,
                value=state.value,
                department=result.department if result is not None else departments.get(spec.department),
                evidence=list(result.evidence.all()) if result is not None else [],
            )
        )
    return views


def precondition_result(submission: Submission, code: str) -> PreconditionResult | None:
    """The stored row of precondition ``code`` of ``submission`` (None when there is none)."""
    return (
        PreconditionResult.objects.select_related("submission__round", "submission__unit", "department")
        .filter(submission=submission, code=code)
        .first()
    )


#: The most rows the list of preconditions waiting for confirmation shows.
AWAITING_MAX = 500


@dataclass
class AwaitingRow:
    result: PreconditionResult
    spec: PreconditionSpec | None

    @property
    def submission(self) -> Submission:
        return self.result.submission

    @property
    def name(self) -> str:
        return self.spec.name if self.spec is not None else ""


def preconditions_awaiting(user) -> list[AwaitingRow]:
    """The preconditions waiting for ``user``'s confirmation (their department's, or, for the office, those a
    department confirms in their province), of submissions at appraisal or recognition; by commune."""
    results = (
        access.preconditions_confirmable_by(user)
        .filter(
            status=PreconditionStatus.PENDING,
            department__isnull=False,
            submission__status__in=ACTIVE_STAGES,
        )
        .select_related("submission__unit", "submission__round__criteria_version", "department")
        .order_by("submission__unit__name", "submission_id", "pk")[:AWAITING_MAX]
    )
    rows, specs = [], {}
    for result in results:
        version = result.submission.round.criteria_version_id
        if version not in specs:  # each version read once, however many rows it has
            specs[version] = {spec.code: spec for spec in result.submission.round.spec.preconditions}
        rows.append(AwaitingRow(result, specs[version].get(result.code)))
    return rows
