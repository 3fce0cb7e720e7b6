"""The departments' appraisal progress in a round: pending, approved, returned and overdue appraisals."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.directory.models import Department, Unit
from submissions.models import AppraisalStatus, Basis, CriterionAppraisal, Round, SubmissionStatus
from submissions.review.flow import stage_days

from .filters import Filters


@dataclass(frozen=True)
class DepartmentProgress:
    department_id: int | None
    code: str
    name: str
    criteria: tuple[int, ...]  # the criteria this department appraises in the round's set
    pending: int
    approved: int
    returned: int
    overdue: int  # pending while the submission has been at the appraisal stage too long

    @property
    def total(self) -> int:
        return self.pending + self.approved + self.returned


def appraisal_progress(
    round_: Round,
    *,
    parent: Unit | None = None,
    group: str = "",
    basis: str = Basis.ALL,
    now: datetime.datetime | None = None,
) -> tuple[DepartmentProgress, ...]:
    """Per department: appraisals pending, approved, returned and overdue: two queries.

    Overdue: still pending while its submission entered the appraisal stage more than
    ``settings.REVIEW_STAGE_DAYS`` (default 10) days ago. Departments of the set without any
    appraisal yet are listed with zeros.
    """
    return appraisals_of(Filters(round_, parent, None, group, basis), now)


def appraisals_of(filters: Filters, now: datetime.datetime | None = None) -> tuple[DepartmentProgress, ...]:
    cutoff = (now or timezone.now()) - datetime.timedelta(days=stage_days())
    pending = Q(status=AppraisalStatus.PENDING)
    rows = list(
        CriterionAppraisal.objects.filter(filters.counted_where("submission__"))
        .order_by()
        .values("department_id", "department__code", "department__name", "department__short_name")
        .annotate(
            pending=Count("pk", filter=pending),
            approved=Count("pk", filter=Q(status=AppraisalStatus.APPROVED)),
            returned=Count("pk", filter=Q(status=AppraisalStatus.RETURNED)),
            overdue=Count(
                "pk",
                filter=pending
                & Q(submission__status=SubmissionStatus.APPRAISAL, submission__stage_entered_at__lt=cutoff),
            ),
        )
    )
    numbers: dict[str, list[int]] = {}
    for criterion in filters.round.spec.criteria:
        numbers.setdefault(criterion.department, []).append(criterion.number)
    seen = {row["department__code"] for row in rows}
    missing = [code for code in numbers if code and code not in seen]
    if missing:
        rows += [
            {
                "department_id": department.pk,
                "department__code": department.code,
                "department__name": department.name,
                "department__short_name": department.short_name,
                "pending": 0,
                "approved": 0,
                "returned": 0,
                "overdue": 0,
            }
            for department in Department.objects.filter(code__in=missing)
        ]
    result = [
        DepartmentProgress(
            department_id=row["department_id"],
            code=row["department__code"] or "",
            name=row["department__name"] or str(_("(chưa giao sở, ngành)")),
            criteria=tuple(numbers.get(row["department__code"] or "", ())),
            pending=row["pending"],
            approved=row["approved"],
            returned=row["returned"],
            overdue=row["overdue"],
        )
        for row in rows
    ]
    return tuple(sorted(result, key=lambda item: (item.criteria[:1] or (10**6,), item.name)))
