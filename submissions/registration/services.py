"""Writes of the registration of target titles: the office opens and closes a period for its province; a commune
(or, in the three-tier world, a district) registers the title it aims for and the year, edits and resubmits while
the registration waits or was returned; the office approves or returns it with a comment.

Keyword-only, typed, atomic. Who may call them is :mod:`submissions.access` (the views ask there first); these check
the rules of the thing itself: the period accepts registrations, the title fits the unit and is not held already,
nobody changed the registration since it was loaded (``lock_version``).
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.audit.services import audit_record
from cms.directory.access import holders, province_of, scopes_of
from cms.directory.models import Role, Unit, UnitLevel
from cms.outbox.models import NoticeKind
from cms.outbox.services import Mail, mail_enqueue
from criteria_pages.spec import TitleKind
from submissions.entry.services import CONTENT_TYPES, upload_display_name, upload_validate
from submissions.errors import ConflictError, SubmissionError
from submissions.models import AuditAction
from submissions.review.notifications import link
from submissions.titles.models import Title

from . import wording  # noqa: F401  (the registrations' audit entries in words, for every history)
from .models import PeriodStatus, Registration, RegistrationFile, RegistrationPeriod, RegistrationStatus

#: The titles each level of unit may aim for.
KINDS_BY_LEVEL = {
    UnitLevel.COMMUNE: (TitleKind.XA_NTM, TitleKind.XA_NTM_NANG_CAO, TitleKind.XA_NTM_KIEU_MAU),
    UnitLevel.DISTRICT: (TitleKind.HUYEN_NTM, TitleKind.HUYEN_NTM_NANG_CAO),
}
#: A target year lies between this year and this many years ahead.
MAX_YEARS_AHEAD = 10
PLAN_MAX_LENGTH = 5000
NAME_MAX_LENGTH = 255
#: At most this many files per registration (a plan, a council's resolution, …).
MAX_FILES = 5
EDITABLE = (RegistrationStatus.SUBMITTED, RegistrationStatus.RETURNED)


def kinds_for(unit: Unit) -> tuple[str, ...]:
    """The titles ``unit`` may register for (none for a province or a village)."""
    return KINDS_BY_LEVEL.get(unit.level, ())


def period_refusal(period: RegistrationPeriod, today: datetime.date | None = None) -> str:
    """Why ``period`` takes no new registration today ("" when it does)."""
    today = today or timezone.localdate()
    if period.status != PeriodStatus.OPEN:
        return _("Đợt đăng ký “%(name)s” đã đóng: không nhận đăng ký mới.") % {"name": period.name}
    if today < period.opens_on:
        return _("Đợt đăng ký “%(name)s” chưa mở: nhận đăng ký từ ngày %(date)s.") % {
            "name": period.name,
            "date": period.opens_on.strftime("%d/%m/%Y"),
        }
    if today > period.closes_on:
        return _("Đợt đăng ký “%(name)s” đã hết hạn ngày %(date)s: không nhận đăng ký mới.") % {
            "name": period.name,
            "date": period.closes_on.strftime("%d/%m/%Y"),
        }
    return ""


def _audit(registration: Registration, action: str, user, *, comment: str = "", before=None, after=None) -> None:
    audit_record(
        subject=registration,
        action=action,
        user=user,
        role=scopes_of(user).audit_role(),
        comment=comment,
        before=before,
        after=after,
    )


def _check_text(value: str, limit: int, label: str) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise SubmissionError(
            _("%(label)s dài quá %(limit)s ký tự.") % {"label": label, "limit": limit}, code="invalid"
        )
    return value


# --- periods ----------------------------------------------------------------------------------------------


@transaction.atomic
def period_open(
    *, province: Unit, name: str, opens_on: datetime.date, closes_on: datetime.date, user=None
) -> RegistrationPeriod:
    """Open a registration period for ``province``'s communes (and districts, in the three-tier world)."""
    name = _check_text(name, NAME_MAX_LENGTH, _("Tên đợt đăng ký"))
    if not name:
        raise SubmissionError(_("Hãy đặt tên cho đợt đăng ký."), code="invalid")
    if province.level != UnitLevel.PROVINCE:
        raise SubmissionError(_("Đợt đăng ký được mở cho một tỉnh, thành phố."), code="invalid")
    if closes_on < opens_on:
        raise SubmissionError(_("Hạn đăng ký phải sau hoặc trùng ngày mở."), code="invalid")
    return RegistrationPeriod.objects.create(
        province=province, name=name, opens_on=opens_on, closes_on=closes_on, created_by=user
    )


@transaction.atomic
def period_close(*, period: RegistrationPeriod, user=None) -> RegistrationPeriod:
    """Close ``period``: no new registration, no edit; the office still decides what was registered."""
    if period.status == PeriodStatus.CLOSED:
        raise SubmissionError(_("Đợt đăng ký này đã đóng."), code="locked")
    period.status = PeriodStatus.CLOSED
    period.save(update_fields=["status"])
    return period


# --- registrations ----------------------------------------------------------------------------------------


def _check_target(*, period: RegistrationPeriod, unit: Unit, kind: str, target_year: int) -> None:
    if (
        not (unit.edition_id == period.province.edition_id and unit.path.startswith(period.province.path))
        or unit.pk == period.province_id
    ):
        raise SubmissionError(
            _("%(unit)s không thuộc %(province)s của đợt đăng ký.")
            % {"unit": unit.name, "province": period.province.name},
            code="invalid",
        )
    if kind not in kinds_for(unit):
        raise SubmissionError(
            _("%(unit)s không đăng ký được danh hiệu “%(kind)s”.")
            % {"unit": unit.name, "kind": TitleKind(kind).label if kind in TitleKind.values else kind},
            code="invalid",
            details=["kind"],
        )
    this_year = timezone.localdate().year
    if not isinstance(target_year, int) or not this_year <= target_year <= this_year + MAX_YEARS_AHEAD:
        raise SubmissionError(
            _("Năm phấn đấu đạt phải từ %(first)s đến %(last)s.")
            % {"first": this_year, "last": this_year + MAX_YEARS_AHEAD},
            code="invalid",
            details=["target_year"],
        )
    held = Title.objects.current().filter(unit=unit, kind=kind).order_by("-decision_date").first()
    if held is not None:
        raise SubmissionError(
            _(
                "%(unit)s đang giữ danh hiệu “%(kind)s” (Quyết định số %(number)s ngày %(date)s): không đăng ký lại "
                "danh hiệu đang giữ."
            )
            % {
                "unit": unit.name,
                "kind": held.get_kind_display(),
                "number": held.decision_number,
                "date": held.decision_date.strftime("%d/%m/%Y"),
            },
            code="invalid",
            details=["kind"],
        )


def _add_files(registration: Registration, uploads, user) -> list[RegistrationFile]:
    uploads = list(uploads or [])
    if not uploads:
        return []
    if registration.files.count() + len(uploads) > MAX_FILES:
        raise SubmissionError(
            _("Mỗi đăng ký kèm tối đa %(count)s tệp.") % {"count": MAX_FILES}, code="invalid", details=["files"]
        )
    # The evidence's rules (size, and type by content), every file before any is stored: a refusal stores nothing.
    try:
        checked = [(upload, upload_validate(upload)[0]) for upload in uploads]
    except SubmissionError as error:
        error.details = ["files"]
        raise
    stored = []
    for upload, detected in checked:
        item = RegistrationFile(
            registration=registration,
            original_name=upload_display_name(upload.name),
            content_type=CONTENT_TYPES[detected],
            size=upload.size,
            uploaded_by=user,
        )
        item.file.save(upload.name, upload, save=False)
        try:
            item.save()
        except BaseException:
            item.file.storage.delete(item.file.name)
            raise
        stored.append(item)
    return stored


def _snapshot(registration: Registration) -> dict:
    return {
        "kind": registration.kind,
        "target_year": registration.target_year,
        "plan": registration.plan,
        "status": registration.status,
    }


@transaction.atomic
def registration_submit(
    *,
    period: RegistrationPeriod,
    unit: Unit,
    kind: str,
    target_year: int,
    plan: str = "",
    uploads=(),
    user=None,
) -> Registration:
    """Register ``unit`` for title ``kind`` by ``target_year`` in ``period`` (with a short plan and files)."""
    refusal = period_refusal(period)
    if refusal:
        raise SubmissionError(refusal, code="locked")
    _check_target(period=period, unit=unit, kind=kind, target_year=target_year)
    plan = _check_text(plan, PLAN_MAX_LENGTH, _("Kế hoạch tóm tắt"))
    if Registration.objects.filter(period=period, unit=unit, kind=kind).exists():
        raise SubmissionError(_duplicate_message(period, unit, kind), code="invalid", details=["kind"])
    try:
        with transaction.atomic():
            registration = Registration.objects.create(
                period=period, unit=unit, kind=kind, target_year=target_year, plan=plan, submitted_by=user
            )
    except IntegrityError as error:  # the same registration, sent twice at once
        raise SubmissionError(_duplicate_message(period, unit, kind), code="invalid", details=["kind"]) from error
    _add_files(registration, uploads, user)
    _audit(registration, AuditAction.REGISTRATION_SUBMITTED, user, after=_snapshot(registration))
    _notify_office(registration, _("Đăng ký danh hiệu mới chờ duyệt"))
    return registration


def _duplicate_message(period: RegistrationPeriod, unit: Unit, kind: str) -> str:
    return _("%(unit)s đã đăng ký danh hiệu “%(kind)s” trong đợt “%(period)s”: hãy sửa đăng ký đã có.") % {
        "unit": unit.name,
        "kind": TitleKind(kind).label,
        "period": period.name,
    }


def _claim(registration: Registration, expected_version: int | None, statuses) -> None:
    """Optimistic lock: go on only if the registration is still in ``statuses`` and nobody changed it since it was
    loaded (``expected_version``)."""
    queryset = Registration.objects.filter(pk=registration.pk, status__in=statuses)
    if expected_version is not None:
        queryset = queryset.filter(lock_version=expected_version)
    if not queryset.update(lock_version=F("lock_version") + 1):
        current = Registration.objects.get(pk=registration.pk)
        if current.status not in statuses:
            raise SubmissionError(
                _("Đăng ký đang ở trạng thái “%(status)s”: không thực hiện được thao tác này.")
                % {"status": current.get_status_display()},
                code="locked",
            )
        raise ConflictError(_("Đăng ký vừa được thay đổi ở nơi khác: hãy tải lại trang, xem lại rồi thực hiện lại."))
    registration.lock_version = (expected_version if expected_version is not None else registration.lock_version) + 1


@transaction.atomic
def registration_update(
    *,
    registration: Registration,
    kind: str,
    target_year: int,
    plan: str = "",
    uploads=(),
    remove_files=(),
    user=None,
    expected_version: int | None = None,
) -> Registration:
    """Edit a registration that waits for the office or was returned; a returned one goes back to the office
    (resubmitted). Refused once approved, or when the office closed the period."""
    period = registration.period
    if period.status != PeriodStatus.OPEN:
        raise SubmissionError(
            _("Đợt đăng ký “%(name)s” đã đóng: không sửa được.") % {"name": period.name}, code="locked"
        )
    _check_target(period=period, unit=registration.unit, kind=kind, target_year=target_year)
    plan = _check_text(plan, PLAN_MAX_LENGTH, _("Kế hoạch tóm tắt"))
    if (
        kind != registration.kind
        and Registration.objects.filter(period=period, unit=registration.unit, kind=kind).exists()
    ):
        raise SubmissionError(_duplicate_message(period, registration.unit, kind), code="invalid", details=["kind"])
    before = _snapshot(registration)
    _claim(registration, expected_version, EDITABLE)
    resubmitted = registration.status == RegistrationStatus.RETURNED
    registration.kind, registration.target_year, registration.plan = kind, target_year, plan
    registration.status = RegistrationStatus.SUBMITTED
    registration.save(update_fields=["kind", "target_year", "plan", "status"])
    removed = list(RegistrationFile.objects.filter(registration=registration, pk__in=list(remove_files)))
    for item in removed:
        item.file.delete(save=False)
        item.delete()
    added = _add_files(registration, uploads, user)
    after = _snapshot(registration)
    if added or removed:
        after["files"] = {"added": [f.original_name for f in added], "removed": [f.original_name for f in removed]}
    _audit(registration, AuditAction.REGISTRATION_SUBMITTED, user, before=before, after=after)
    if resubmitted:
        _notify_office(registration, _("Đăng ký danh hiệu đã sửa, chờ duyệt lại"))
    return registration


def _decide(registration: Registration, status: str, action: str, *, user, comment: str, expected_version) -> None:
    before = _snapshot(registration)
    _claim(registration, expected_version, (RegistrationStatus.SUBMITTED,))
    registration.status = status
    registration.comment = comment
    registration.decided_at = timezone.now()
    registration.decided_by = user
    registration.save(update_fields=["status", "comment", "decided_at", "decided_by"])
    _audit(registration, action, user, comment=comment, before=before, after=_snapshot(registration))


@transaction.atomic
def registration_approve(
    *, registration: Registration, user=None, comment: str = "", expected_version: int | None = None
) -> Registration:
    """The office approves a waiting registration: it enters the province's plan."""
    comment = _check_text(comment, PLAN_MAX_LENGTH, _("Ý kiến"))
    _decide(
        registration,
        RegistrationStatus.APPROVED,
        AuditAction.REGISTRATION_APPROVED,
        user=user,
        comment=comment,
        expected_version=expected_version,
    )
    _notify_registrant(registration, _("Đăng ký danh hiệu đã được duyệt"))
    return registration


@transaction.atomic
def registration_return(
    *, registration: Registration, comment: str, user=None, expected_version: int | None = None
) -> Registration:
    """The office returns a waiting registration with what to fix (a comment is required)."""
    comment = _check_text(comment, PLAN_MAX_LENGTH, _("Ý kiến"))
    if not comment:
        raise SubmissionError(_("Hãy ghi ý kiến: xã cần biết sửa gì."), code="invalid", details=["comment"])
    _decide(
        registration,
        RegistrationStatus.RETURNED,
        AuditAction.REGISTRATION_RETURNED,
        user=user,
        comment=comment,
        expected_version=expected_version,
    )
    _notify_registrant(registration, _("Đăng ký danh hiệu bị trả lại để sửa"))
    return registration


# --- notices --------------------------------------------------------------------------------------------------


def _mails(users, subject: str, registration: Registration, path: str) -> list[Mail]:
    """One e-mail per person (an address is personal data), keyed on this state of the registration."""
    recipients = {user.email: user for user in users if user.email and user.is_active}
    parts = [
        f"{registration.unit.name} – {registration.get_kind_display()} ({registration.target_year})",
        subject,
    ]
    if registration.comment and registration.status != RegistrationStatus.SUBMITTED:
        parts.append(_("Ý kiến của văn phòng: %(comment)s") % {"comment": registration.comment})
    parts.append(_("Mở đăng ký: %(link)s") % {"link": link(path)})
    body = "\n\n".join(parts)
    event = f"registration:{registration.pk}:v{registration.lock_version}:{registration.status}"
    province = (province_of(registration.unit),)
    return [
        Mail(address, f"[NTM] {subject}", body, user=user, province_codes=province, event=event)
        for address, user in sorted(recipients.items())
    ]


def _registrant_role(unit: Unit) -> str:
    return Role.DISTRICT_REVIEWER if unit.level == UnitLevel.DISTRICT else Role.COMMUNE_OFFICER


def _notify_registrant(registration: Registration, subject: str) -> None:
    """Tell the registrant unit's officers (the commune's, or the district's reviewers) through the outbox."""
    users = holders(_registrant_role(registration.unit), covering=registration.unit)
    path = reverse("registration:detail", args=[registration.pk])
    mail_enqueue(kind=NoticeKind.REVIEW, mails=_mails(users, subject, registration, path))


def _notify_office(registration: Registration, subject: str) -> None:
    users = holders(Role.OFFICE_EDITOR, covering=registration.unit)
    path = reverse("registration_admin:detail", args=[registration.pk])
    mail_enqueue(kind=NoticeKind.REVIEW, mails=_mails(users, subject, registration, path))
