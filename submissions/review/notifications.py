"""The review's notices: who is told what when a submission moves, by e-mail, with a link to where they act
(the site's public address, ``PUBLIC_BASE_URL``). One message per person: an address is personal data. They go
through the outbox (:mod:`cms.outbox`): sent by the task worker after the action commits, retried, and shown to
the office when they finally fail; the same state change never sends one person two notices."""

import hashlib
import logging
from collections import defaultdict

from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils.translation import gettext as _

from cms.audit.models import role_label
from cms.directory.access import holders, holders_covering, province_of, scopes_of
from cms.directory.models import Membership, Role
from cms.outbox.models import NoticeKind
from cms.outbox.services import Mail, mail_enqueue
from cms.people.services import public_base_url
from submissions import access
from submissions.models import AppraisalStatus, Submission, SubmissionStatus

logger = logging.getLogger(__name__)


def link(path: str) -> str:
    """An address people can open from an e-mail: the site's public address (``PUBLIC_BASE_URL``, which
    ``check --deploy`` requires in production) and ``path``; only the path when the address is not set."""
    try:
        return public_base_url() + path
    except ImproperlyConfigured:
        logger.warning("PUBLIC_BASE_URL is not set: the e-mail links to %s without the site's address.", path)
        return path


def notice_mails(users, subject: str, submission: Submission, path: str, lines=()) -> list[Mail]:
    """The e-mails telling ``users`` what happened to ``submission``: the unit and round, ``subject``, ``lines``
    (e.g. the reviewers' comments) and a link to where they act. One per person: an address is personal data, never
    shown to the other recipients (Decree 13). Their event is this state of the submission (its version) and what
    is told: queued again, it sends nothing new."""
    recipients = {user.email: user for user in users if user.email and user.is_active}
    if not recipients:
        return []
    parts = [f"{submission.subject_name} – {submission.round.name}", subject]
    if lines:
        parts.append("\n".join(lines))
    parts.append(_("Mở hồ sơ: %(link)s") % {"link": link(path)})
    body = "\n\n".join(parts)
    event = f"review:{submission.pk}:v{submission.lock_version}:{hashlib.sha256(subject.encode()).hexdigest()[:8]}"
    province = (province_of(submission.unit),)
    return [
        Mail(
            address,
            f"[{'OCOP' if submission.product_id else 'NTM'}] {subject}",
            body,
            user=user,
            province_codes=province,
            event=event,
        )
        for address, user in sorted(recipients.items())
    ]


def notify_all(mails: list[Mail]) -> None:
    """Queue ``mails`` (of any number of submissions) in the outbox at once: a bulk action writes them in a few
    queries however many communes it covers."""
    mail_enqueue(kind=NoticeKind.REVIEW, mails=mails)


def notify(users, subject: str, submission: Submission, path: str, lines=()) -> None:
    """E-mail ``users`` about ``submission`` (:func:`notice_mails`), through the outbox."""
    notify_all(notice_mails(users, subject, submission, path, lines))


def return_lines(submission: Submission, comment: str, items: list[dict], user) -> list[str]:
    """The comments of a return, item by item, as the commune reads them in the e-mail."""
    spec = submission.round.spec
    criteria = {criterion.number: criterion.name for criterion in spec.criteria}
    indicators = {indicator.code: indicator.name for _criterion, indicator in spec.indicators()}
    lines = [_("Ý kiến của người xét duyệt:")]
    if comment.strip():
        lines.append(_("- Ý kiến chung: %(comment)s") % {"comment": comment.strip()})
    for item in items:
        code = item.get("indicator_code") or ""
        if code:
            label = _("Chỉ tiêu %(code)s. %(name)s") % {"code": code, "name": indicators.get(code, "")}
        else:
            number = item["criterion_number"]
            label = _("Tiêu chí %(n)s. %(name)s") % {"n": number, "name": criteria.get(number, "")}
        lines.append(f"- {label}: {item['comment'].strip()}")
    if user is not None:
        who = user.get_full_name() or user.get_username()
        role = role_label(scopes_of(user).audit_role())
        lines.append(_("Người trả lại: %(who)s (%(role)s)") % {"who": who, "role": role} if role else who)
    return lines


def review_path(submission: Submission) -> str:
    return reverse("review:detail", args=[submission.pk])


def commune_path(submission: Submission) -> str:
    """Where whoever fills the form lands from an e-mail (a commune officer, or the producer of an OCOP product):
    the contents screen of their submission (as from their list), with each step's state and the reviewer's
    returned items, each a link to its step."""
    return reverse("submissions:contents", args=[submission.pk])


def producer_accounts(producer_ids) -> dict[int, list]:
    """The users acting for each producer (``Membership(role=PRODUCER, producer=…)``), in one query."""
    found = defaultdict(list)
    producer_ids = set(producer_ids)
    if not producer_ids:
        return found  # no query for a batch without OCOP dossiers
    memberships = Membership.objects.filter(role=Role.PRODUCER, producer_id__in=producer_ids).select_related("user")
    for membership in memberships:
        found[membership.producer_id].append(membership.user)
    return found


def fillers_by_submission(submissions) -> dict[int, list]:
    """For each submission, who fills its form and is told what happens to it: the producer's accounts for an OCOP
    dossier, else the holders of the unit's filler role (a commune's officers, a district's reviewers). One query
    per role and one for the producers, whatever the number of submissions."""
    submissions = list(submissions)
    producers = producer_accounts(s.product.producer_id for s in submissions if s.product_id)
    units_by_role = defaultdict(set)
    for submission in submissions:
        if not submission.product_id:
            units_by_role[access.filler_role(submission.unit.level)].add(submission.unit)
    by_unit = {
        (role, unit_id): users
        for role, units in units_by_role.items()
        for unit_id, users in holders_covering(role, units).items()
    }
    return {
        submission.pk: (
            producers.get(submission.product.producer_id, [])
            if submission.product_id
            else by_unit[(access.filler_role(submission.unit.level), submission.unit.pk)]
        )
        for submission in submissions
    }


def fillers_of(submission: Submission) -> list:
    """Who fills ``submission``'s form (:func:`fillers_by_submission` for one)."""
    return fillers_by_submission([submission])[submission.pk]


def notify_next_actor(submission: Submission) -> None:
    if submission.status == SubmissionStatus.SUBMITTED and submission.product_id:
        users = holders(Role.OFFICE_EDITOR, covering=submission.unit)
        subject = _("Hồ sơ sản phẩm OCOP mới chờ văn phòng kiểm tra")
    elif submission.status == SubmissionStatus.SUBMITTED:
        users = holders(Role.DISTRICT_REVIEWER, covering=submission.unit)
        subject = _("Hồ sơ mới chờ huyện thẩm tra")
    elif submission.status == SubmissionStatus.APPRAISAL:
        departments = set(
            submission.appraisals.filter(status=AppraisalStatus.PENDING).values_list("department_id", flat=True)
        )
        users = holders(Role.DEPARTMENT_APPRAISER, departments=departments)
        subject = _("Hồ sơ chờ sở, ngành thẩm định")
    elif submission.status == SubmissionStatus.RECOGNITION:
        users = holders(Role.OFFICE_EDITOR, covering=submission.unit)
        subject = _("Hồ sơ đã thẩm định xong, chờ công nhận")
    else:
        return
    notify(users, subject, submission, review_path(submission))
