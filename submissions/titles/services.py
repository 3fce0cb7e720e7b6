"""Writes of titles: granted at recognition, imported, recorded after a merger, corrected, revoked.

Every change is an audit entry about the title (who, role, when, before/after, reason) and tells the public page
cache and the cached statistics (``results_changed`` for the unit): a title is a public decision, shown on the
commune's page and counted by the statistics as soon as it is held, and no longer counted once revoked.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.audit.services import audit_record, audit_records
from cms.directory.access import scopes_of
from cms.directory.models import Unit, UnitLevel, UnitSuccession
from cms.errors import FORBIDDEN, WRONG_STATE
from criteria_pages.spec import TitleKind
from submissions import access
from submissions.errors import SubmissionError
from submissions.models import AuditAction, Submission
from submissions.signals import results_changed
from submissions.titles import wording  # noqa: F401  (the titles' audit entries in words, for every history)
from submissions.titles.imports import TitleImportReport, titles_read
from submissions.titles.models import Title, TitleSource

#: The level of the units each kind of title is given to (a huyện title to a district, the others to a commune).
DISTRICT_KINDS = frozenset({TitleKind.HUYEN_NTM, TitleKind.HUYEN_NTM_NANG_CAO})


def title_level(kind: str) -> str:
    return UnitLevel.DISTRICT if kind in DISTRICT_KINDS else UnitLevel.COMMUNE


def _changed(unit_ids) -> None:
    results_changed.send(sender=Title, unit_ids=sorted(set(unit_ids)))


def _audit(title: Title, action: str, user, *, comment: str = "", before=None, after=None) -> None:
    audit_record(
        subject=title,
        action=action,
        user=user,
        role=scopes_of(user).audit_role(),
        comment=comment,
        before=before,
        after=after,
    )


def _granted_after(title: Title) -> dict:
    return {
        "kind": title.kind,
        "source": title.source,
        "decision_number": title.decision_number,
        "decision_date": title.decision_date.isoformat() if title.decision_date else None,
    }


def _check_date(value: datetime.date, field: str, label: str) -> None:
    if value is None:
        raise SubmissionError(_("Hãy nhập %(label)s.") % {"label": label}, details=[field])
    if value > timezone.localdate():
        raise SubmissionError(_("%(label)s không thể ở sau hôm nay.") % {"label": label.capitalize()}, details=[field])


def _check_text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise SubmissionError(message, details=[field])
    return value


# --- granted at recognition ---------------------------------------------------------------------------------


def _grant_values(submission: Submission, kind: str, user) -> dict:
    return {
        "unit_id": submission.unit_id,
        "kind": kind,
        "source": TitleSource.RECOGNITION,
        "criteria_version_id": submission.round.criteria_version_id,
        "decision_number": submission.decision_number,
        "decision_date": submission.decision_date,
        "decision_document": submission.decision_document.name or "",
        "created_by": user,
    }


def _grants(submission: Submission) -> str:
    """The title ``submission``'s recognition grants ("" when its set grants none or the standard is not reached)."""
    kind = submission.round.spec.grants_title
    return kind if kind and submission.effective_standard else ""


@transaction.atomic
def title_grant_from_recognition(*, submission: Submission, user) -> Title | None:
    """The title the round's set grants, held from the recognition decision's date, when the submission reaches the
    standard (the office's decision if it made one). None when the set grants no title or the standard is not
    reached. Recognising again (after a reopen) updates the same title rather than adding a second one."""
    granted = titles_grant_from_recognition(submissions=[submission], user=user)
    return granted[0] if granted else None


@transaction.atomic
def titles_grant_from_recognition(*, submissions, user) -> list[Title]:
    """:func:`title_grant_from_recognition` for many recognised submissions (a bulk recognition): the existing titles
    read in one query, the new ones inserted and the updated ones written in one statement each, audited with one
    insert, and one ``results_changed`` for all their units."""
    wanted = [(submission, kind) for submission in submissions if (kind := _grants(submission))]
    if not wanted:
        return []
    existing = {
        title.submission_id: title
        for title in Title.objects.filter(submission_id__in=[submission.pk for submission, _kind in wanted])
    }
    new, updated = [], []
    for submission, kind in wanted:
        values = _grant_values(submission, kind, user)
        title = existing.get(submission.pk)
        if title is None:
            new.append(Title(submission=submission, **values))
            continue
        values.pop("created_by")
        for name, value in values.items():
            setattr(title, name, value)
        title.updated_at = timezone.now()  # bulk_update skips auto_now
        updated.append(title)
    if new:
        new = Title.objects.bulk_create(new)
    if updated:
        Title.objects.bulk_update(
            updated,
            [
                "unit",
                "kind",
                "source",
                "criteria_version",
                "decision_number",
                "decision_date",
                "decision_document",
                "updated_at",
            ],
        )
    titles = [*new, *updated]
    role = scopes_of(user).audit_role()
    audit_records(
        entries=[
            {
                "subject": title,
                "action": AuditAction.TITLE_GRANTED,
                "user": user,
                "role": role,
                "after": _granted_after(title),
            }
            for title in titles
        ]
    )
    _changed(title.unit_id for title in titles)
    return titles


# --- corrected, revoked -------------------------------------------------------------------------------------


def _locked(title: Title) -> Title:
    return Title.objects.select_for_update().select_related("unit").get(pk=title.pk)


@transaction.atomic
def title_correct(*, title: Title, user, decision_number: str, decision_date: datetime.date, reason: str) -> Title:
    """Correct the recognition decision's number or date (a clerical error), with a reason: the title stays held."""
    reason = _check_text(reason, "reason", _("Hãy ghi lý do đính chính."))
    decision_number = _check_text(decision_number, "decision_number", _("Hãy nhập số quyết định công nhận."))
    _check_date(decision_date, "decision_date", _("ngày quyết định công nhận"))
    title = _locked(title)
    if title.revoked_on and decision_date > title.revoked_on:
        raise SubmissionError(
            _("Ngày quyết định công nhận không thể sau ngày thu hồi (%(date)s).")
            % {"date": f"{title.revoked_on:%d/%m/%Y}"},
            details=["decision_date"],
        )
    before = {"decision_number": title.decision_number, "decision_date": title.decision_date.isoformat()}
    after = {"decision_number": decision_number, "decision_date": decision_date.isoformat()}
    if before == after:
        raise SubmissionError(_("Số và ngày quyết định không thay đổi: không có gì để đính chính."), code=WRONG_STATE)
    title.decision_number, title.decision_date = decision_number, decision_date
    title.save(update_fields=["decision_number", "decision_date", "updated_at"])
    _audit(title, AuditAction.TITLE_CORRECTED, user, comment=reason, before=before, after=after)
    _changed([title.unit_id])
    return title


@transaction.atomic
def title_revoke(
    *, title: Title, user, revocation_number: str, revoked_on: datetime.date, reason: str, document=None
) -> Title:
    """Revoke a held title by the chairman's decision (number, date, reason, optionally its document): it stays in
    the unit's history, marked revoked, and is no longer counted. A title is revoked once."""
    revocation_number = _check_text(revocation_number, "revocation_number", _("Hãy nhập số quyết định thu hồi."))
    reason = _check_text(reason, "reason", _("Hãy ghi lý do thu hồi."))
    _check_date(revoked_on, "revoked_on", _("ngày thu hồi"))
    title = _locked(title)
    if title.revoked_on is not None:
        raise SubmissionError(
            _("Danh hiệu này đã bị thu hồi ngày %(date)s.") % {"date": f"{title.revoked_on:%d/%m/%Y}"},
            code=WRONG_STATE,
        )
    if revoked_on < title.decision_date:
        raise SubmissionError(
            _("Ngày thu hồi không thể trước ngày quyết định công nhận (%(date)s).")
            % {"date": f"{title.decision_date:%d/%m/%Y}"},
            details=["revoked_on"],
        )
    title.revoked_on = revoked_on
    title.revocation_number = revocation_number
    title.revocation_reason = reason
    title.revoked_by = user
    if document is not None:
        title.revocation_document.save(document.name, document, save=False)
    title.save(
        update_fields=[
            "revoked_on",
            "revocation_number",
            "revocation_reason",
            "revocation_document",
            "revoked_by",
            "updated_at",
        ]
    )
    _audit(
        title,
        AuditAction.TITLE_REVOKED,
        user,
        comment=reason,
        before={"revoked_on": None},
        after={"revoked_on": revoked_on.isoformat(), "revocation_number": revocation_number},
    )
    _changed([title.unit_id])
    return title


# --- recorded after a merger --------------------------------------------------------------------------------


def predecessor_titles(unit: Unit):
    """The current titles of the units ``unit`` was formed from (what a merger record may carry on)."""
    predecessors = UnitSuccession.objects.filter(successor=unit).values("predecessor_id")
    return Title.objects.current().filter(unit_id__in=predecessors).select_related("unit")


def _check_new_title(unit: Unit, kind: str) -> None:
    if kind not in TitleKind.values:
        raise SubmissionError(_("Không có danh hiệu này."), details=["kind"])
    if unit.level != title_level(kind):
        raise SubmissionError(
            _("Danh hiệu “%(kind)s” không dành cho %(unit)s.") % {"kind": TitleKind(kind).label, "unit": unit.name},
            details=["kind"],
        )
    if Title.objects.current().filter(unit=unit, kind=kind).exists():
        raise SubmissionError(
            _("%(unit)s đang giữ danh hiệu “%(kind)s”.") % {"unit": unit.name, "kind": TitleKind(kind).label},
            code=WRONG_STATE,
            details=["kind"],
        )


@transaction.atomic
def title_record_after_merger(
    *,
    unit: Unit,
    kind: str,
    decision_number: str,
    decision_date: datetime.date,
    carried_from,
    user,
    note: str = "",
    document=None,
) -> Title:
    """Record that ``unit`` (formed in the 2025 reform) holds ``kind``, carried on from the chosen titles of the units
    it was formed from, by the office's decision. The predecessors' titles stay on them, in their history (and are
    shown on the new unit's page as its predecessors')."""
    decision_number = _check_text(
        decision_number, "decision_number", _("Hãy nhập số quyết định (hoặc văn bản) ghi nhận.")
    )
    _check_date(decision_date, "decision_date", _("ngày quyết định"))
    carried = list(carried_from)
    if not carried:
        raise SubmissionError(_("Hãy chọn ít nhất một danh hiệu của các xã trước sắp xếp."), details=["carried_from"])
    allowed = set(predecessor_titles(unit).values_list("pk", flat=True))
    strangers = [title for title in carried if title.pk not in allowed]
    if strangers:
        raise SubmissionError(
            _("Chỉ kế thừa được danh hiệu còn hiệu lực của các đơn vị hình thành nên %(unit)s.") % {"unit": unit.name},
            details=["carried_from"],
        )
    _check_new_title(unit, kind)
    title = Title(
        unit=unit,
        kind=kind,
        source=TitleSource.MERGER,
        decision_number=decision_number,
        decision_date=decision_date,
        note=(note or "").strip(),
        created_by=user,
    )
    if document is not None:
        title.decision_document.save(document.name, document, save=False)
    title.save()
    title.carried_from.set(carried)
    after = _granted_after(title) | {"carried_from": [f"{t.unit.name}: {TitleKind(t.kind).label}" for t in carried]}
    _audit(title, AuditAction.TITLE_GRANTED, user, comment=title.note, after=after)
    _changed([unit.pk])
    return title


# --- imported from a spreadsheet ----------------------------------------------------------------------------


@transaction.atomic
def titles_import(*, data: bytes, filename: str, user) -> TitleImportReport:
    """Import the titles held before the product existed from a spreadsheet (see :mod:`.imports` for its columns),
    all or nothing: when any row has a problem, nothing is saved and the report lists every problem (row, column,
    message). Only units whose titles ``user`` manages (their province) are accepted."""
    if not access.may_manage_titles(user):
        raise SubmissionError(_("Bạn không có quyền nhập danh sách danh hiệu."), code=FORBIDDEN)
    report = titles_read(data, filename, units=access.title_units_managed_by(user), level_of=title_level)
    if report.problems:
        return report
    titles = Title.objects.bulk_create(
        [
            Title(
                unit=row.unit,
                kind=row.kind,
                source=TitleSource.IMPORT,
                decision_number=row.decision_number,
                decision_date=row.decision_date,
                set_name=row.set_name,
                note=row.note,
                created_by=user,
            )
            for row in report.rows
        ]
    )
    role = scopes_of(user).audit_role()
    audit_records(
        entries=[
            {
                "subject": title,
                "action": AuditAction.TITLES_IMPORTED,
                "user": user,
                "role": role,
                "comment": _("Nhập từ tệp “%(name)s”.") % {"name": filename},
                "after": _granted_after(title) | {"row": row.row},
            }
            for title, row in zip(titles, report.rows, strict=True)
        ]
    )
    report.created = titles
    _changed(title.unit_id for title in titles)
    return report
