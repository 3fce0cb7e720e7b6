"""The review's notices: who is told what when a submission moves, by e-mail, with a link to where they act
(the site's public address, ``PUBLIC_BASE_URL``). One message per person: an address is personal data."""

import logging

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import send_mass_mail
from django.urls import reverse
from django.utils.translation import gettext as _

from cms.audit.models import role_label
from cms.directory.access import holders, scopes_of
from cms.directory.models import Role
from cms.people.services import public_base_url
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


def notify(users, subject: str, submission: Submission, path: str, lines=()) -> None:
    """E-mail ``users``: the unit and round, what happened, ``lines`` (e.g. the reviewers' comments) and a
    link to where they act."""
    recipients = sorted({user.email for user in users if user.email and user.is_active})
    if not recipients:
        return
    parts = [f"{submission.unit.name} – {submission.round.name}", subject]
    if lines:
        parts.append("\n".join(lines))
    parts.append(_("Mở hồ sơ: %(link)s") % {"link": link(path)})
    body = "\n\n".join(parts)
    # One message per person: an address is personal data, never shown to the other recipients (Decree 13).
    send_mass_mail(
        [(f"[NTM] {subject}", body, settings.DEFAULT_FROM_EMAIL, [address]) for address in recipients],
        fail_silently=True,
    )


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
    return reverse("submissions:form", args=[submission.pk])


def notify_next_actor(submission: Submission) -> None:
    if submission.status == SubmissionStatus.SUBMITTED:
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
