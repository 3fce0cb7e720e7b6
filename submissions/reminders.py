"""Daily reminders of due and overdue stages, by e-mail through the outbox (``manage.py send_reminders``, run once
a day by the scheduler): commune officers whose round closes within ``REMINDER_DUE_DAYS`` days (or has closed)
while their submission is still a draft or returned (for an OCOP product's dossier, its producer's accounts);
district reviewers, department appraisers and office editors whose submissions have waited at their stage longer
than the review stage's days (``REVIEW_STAGE_DAYS``; an OCOP dossier waits for its office). One e-mail per person
and stage a day, listing their units: the day is part of the notice's event, so running the command twice on one
day sends nothing new."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.directory.access import holders, holders_covering, province_of
from cms.directory.models import Role
from cms.outbox.models import NoticeKind
from cms.outbox.services import Mail, mail_enqueue
from submissions.models import (
    EDITABLE_STATUSES,
    AppraisalStatus,
    CriterionAppraisal,
    RoundStatus,
    Submission,
    SubmissionStatus,
)
from submissions.review import notifications
from submissions.review.flow import REVIEW_STAGES, stage_days

#: Who acts at each review stage, covering the unit (the departments' appraisers are found per criterion).
STAGE_ROLES = {SubmissionStatus.SUBMITTED: Role.DISTRICT_REVIEWER, SubmissionStatus.RECOGNITION: Role.OFFICE_EDITOR}
#: The stage name in a reminder's event for the communes' drafts.
COMMUNE_STAGE = "draft"


@dataclass
class ReminderReport:
    due: int = 0  # submissions of communes reminded of their due date
    overdue: int = 0  # submissions waiting too long at a review stage
    notices: int = 0  # e-mails queued (new today)


def due_submissions(today: datetime.date, due_days: int) -> QuerySet[Submission]:
    """Drafts and returned submissions of open rounds due within ``due_days`` days of ``today`` or past due."""
    return (
        Submission.objects.filter(
            round__status=RoundStatus.OPEN,
            round__due_on__lte=today + datetime.timedelta(days=due_days),
            status__in=EDITABLE_STATUSES,
        )
        .select_related("unit", "round", "product__producer")
        .order_by("round__due_on", "unit__path", "pk")
    )


def overdue_submissions(now: datetime.datetime, days: int) -> QuerySet[Submission]:
    """Submissions that entered their review stage more than ``days`` days before ``now``."""
    return (
        Submission.objects.filter(status__in=REVIEW_STAGES, stage_entered_at__lt=now - datetime.timedelta(days=days))
        .select_related("unit", "round", "product__producer")
        .order_by("stage_entered_at", "unit__path", "pk")
    )


def _date(value) -> str:
    return value.strftime("%d/%m/%Y")


def _due_line(submission: Submission, today: datetime.date) -> str:
    left = (submission.round.due_on - today).days
    when = (
        _("còn %(n)s ngày") % {"n": left}
        if left > 0
        else _("hết hạn hôm nay")
        if left == 0
        else _("quá hạn %(n)s ngày") % {"n": -left}
    )
    return _("- %(unit)s – %(round)s: hạn nộp %(due)s (%(when)s), %(status)s. Mở hồ sơ: %(link)s") % {
        "unit": submission.subject_name,
        "round": submission.round.name,
        "due": _date(submission.round.due_on),
        "when": when,
        "status": submission.get_status_display().lower(),
        "link": notifications.link(notifications.commune_path(submission)),
    }


def _overdue_line(submission: Submission, now: datetime.datetime) -> str:
    entered = timezone.localtime(submission.stage_entered_at, timezone.get_current_timezone())
    return _("- %(unit)s – %(round)s: %(status)s từ %(since)s (%(n)s ngày). Mở hồ sơ: %(link)s") % {
        "unit": submission.subject_name,
        "round": submission.round.name,
        "status": submission.get_status_display().lower(),
        "since": _date(entered),
        "n": (now - submission.stage_entered_at).days,
        "link": notifications.link(notifications.review_path(submission)),
    }


def _recipients_by_stage(submissions: list[Submission]) -> dict[tuple[str, object], list[Submission]]:
    """(stage, person) → the submissions waiting for that person at that stage (a few queries in all)."""
    waiting = defaultdict(list)
    for stage, role in STAGE_ROLES.items():
        at_stage = [
            submission for submission in submissions if submission.status == stage and not submission.product_id
        ]
        people = holders_covering(role, {submission.unit for submission in at_stage})
        for submission in at_stage:
            for person in people[submission.unit.pk]:
                waiting[(stage, person)].append(submission)
    # An OCOP dossier waits for the office of its province, whether it is checked (submitted) or recognised.
    for stage in (SubmissionStatus.SUBMITTED, SubmissionStatus.RECOGNITION):
        at_stage = [submission for submission in submissions if submission.status == stage and submission.product_id]
        if not at_stage:
            continue
        role = Role.OFFICE_EDITOR
        people = holders_covering(role, {submission.unit for submission in at_stage})
        for submission in at_stage:
            for person in people[submission.unit.pk]:
                waiting[(stage, person)].append(submission)
    appraising = {
        submission.pk: submission for submission in submissions if submission.status == SubmissionStatus.APPRAISAL
    }
    pending = defaultdict(set)
    for submission_id, department_id in CriterionAppraisal.objects.filter(
        submission_id__in=list(appraising), status=AppraisalStatus.PENDING, department__isnull=False
    ).values_list("submission_id", "department_id"):
        pending[department_id].add(submission_id)
    for department_id, submission_ids in pending.items():
        for person in holders(Role.DEPARTMENT_APPRAISER, departments={department_id}):
            waiting[(SubmissionStatus.APPRAISAL, person)].extend(appraising[pk] for pk in sorted(submission_ids))
    return waiting


def _mail(person, subject: str, intro: str, lines: list[str], *, submissions: list[Submission], event: str) -> Mail:
    tag = "OCOP" if all(submission.product_id for submission in submissions) else "NTM"
    return Mail(
        person.email,
        f"[{tag}] {subject}",
        "\n\n".join([intro, "\n".join(lines)]),
        user=person,
        province_codes=tuple(sorted({province_of(submission.unit) for submission in submissions})),
        event=event,
    )


def reminders_send(
    *, today: datetime.date | None = None, due_days: int = 3, stage_days_limit: int | None = None
) -> ReminderReport:
    """Queue today's reminders (see the module); returns what was found and how many e-mails are new."""
    now = timezone.now()
    today = today or timezone.localdate()
    limit = stage_days() if stage_days_limit is None else stage_days_limit
    report = ReminderReport()
    mails = []

    due = list(due_submissions(today, due_days))
    report.due = len(due)
    # A commune's drafts remind its officers; an OCOP product's draft, its producer's accounts.
    officers = holders_covering(Role.COMMUNE_OFFICER, {s.unit for s in due if not s.product_id})
    producers = notifications.producer_accounts(s.product.producer_id for s in due if s.product_id)
    by_officer = defaultdict(list)
    for submission in due:
        people = producers.get(submission.product.producer_id, []) if submission.product_id else None
        for person in officers[submission.unit.pk] if people is None else people:
            by_officer[person].append(submission)
    for person, submissions in by_officer.items():
        mails.append(
            _mail(
                person,
                _("Nhắc hạn nộp hồ sơ đánh giá"),
                _("Hồ sơ sau chưa nộp, đợt đánh giá sắp hết hạn hoặc đã quá hạn:"),
                [_due_line(submission, today) for submission in submissions],
                submissions=submissions,
                event=f"reminder:{today.isoformat()}:{COMMUNE_STAGE}",
            )
        )

    overdue = list(overdue_submissions(now, limit))
    report.overdue = len(overdue)
    for (stage, person), submissions in _recipients_by_stage(overdue).items():
        mails.append(
            _mail(
                person,
                _("Hồ sơ chờ xử lý quá %(n)s ngày") % {"n": limit},
                _("Hồ sơ sau đang chờ anh/chị xử lý quá thời hạn %(n)s ngày của bước xét duyệt:") % {"n": limit},
                [_overdue_line(submission, now) for submission in submissions],
                submissions=submissions,
                event=f"reminder:{today.isoformat()}:{stage}",
            )
        )
    report.notices = mail_enqueue(
        kind=NoticeKind.REMINDER, mails=[mail for mail in mails if mail.recipient and mail.user.is_active]
    )
    return report
