"""The submissions app's entries in the one audit trail (:mod:`cms.audit`): rounds and submissions."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from cms.audit.models import AuditEntry
from cms.audit.services import audit_record, audit_records
from cms.audit.wording import EntryWords, change_words, history_words, register_describer, value_words
from cms.directory.access import scopes_of
from criteria_pages import wording as criteria_wording
from submissions.models import AppraisalStatus, AuditAction, Round, Submission, SubmissionStatus


def audit(
    *,
    round_: Round,
    action: str,
    user=None,
    submission: Submission | None = None,
    comment="",
    before=None,
    after=None,
) -> AuditEntry:
    """Record an action on ``submission`` (or on the round itself when there is none)."""
    return audit_record(
        subject=submission if submission is not None else round_,
        action=action,
        user=user,
        role=scopes_of(user).audit_role(),
        comment=comment,
        before=before,
        after=after,
    )


def audit_many(*, submissions, action: str, user=None, **entry) -> list[AuditEntry]:
    """Record ``action`` on many submissions in one insert (bulk actions); a callable value is computed per
    submission (``after=lambda submission: {...}``)."""
    role = scopes_of(user).audit_role()
    return audit_records(
        entries=[
            {
                "subject": submission,
                "action": action,
                "user": user,
                "role": role,
                **{key: value(submission) if callable(value) else value for key, value in entry.items()},
            }
            for submission in submissions
        ]
    )


def history(subject: Round | Submission) -> QuerySet[AuditEntry]:
    """What was done to a round (open, close, reopen, archive) or a submission, newest first."""
    return AuditEntry.objects.about(subject).select_related("actor")


# --- the app's entries in words ----------------------------------------------------------------------------


def _criterion_label(number) -> str:
    return _("Tiêu chí %(n)s") % {"n": number}


def _indicator_label(code) -> str:
    return _("Chỉ tiêu %(code)s") % {"code": code}


def _status_words(value) -> str:
    if not value:
        return ""
    return str(SubmissionStatus(value).label) if value in SubmissionStatus.values else value_words(value)


def _appraisal_words(value) -> str:
    if not value:
        return ""
    return str(AppraisalStatus(value).label) if value in AppraisalStatus.values else value_words(value)


def _indicators_of(subject) -> dict:
    if isinstance(subject, Submission):
        return {indicator.code: indicator for _criterion, indicator in subject.round.spec.indicators()}
    return {}


def _raw_words(indicators: dict, code: str, raw) -> str:
    indicator = indicators.get(code)
    if indicator is None or raw in (None, ""):
        return raw or ""
    return criteria_wording.value_words(indicator, raw)


def _override_words(value) -> str:
    """A criterion's override is True/False/None; an indicator's a status code or ""."""
    if value is None or value == "":
        return _("không điều chỉnh")
    if isinstance(value, bool):
        return criteria_wording.met_words(value)
    return criteria_wording.verdict_words(value)


def _item_words(item: dict) -> str:
    if item.get("indicator_code"):
        label = _indicator_label(item["indicator_code"])
    elif item.get("criterion_number"):
        label = _criterion_label(item["criterion_number"])
    else:
        label = _("Chung")
    return f"{label}: “{item.get('comment', '').strip()}”"


def describe(entry: AuditEntry, subject) -> list[str]:
    """The changes of a round's or a submission's entry, in the words of the review flow."""
    before, after = entry.before or {}, entry.after or {}
    action = entry.action
    phrases: list[str] = []
    if action == AuditAction.VALUE_CHANGED:
        indicators = _indicators_of(subject)
        for code in list(before) + [code for code in after if code not in before]:
            phrases.append(
                change_words(
                    _indicator_label(code),
                    _raw_words(indicators, code, before.get(code)),
                    _raw_words(indicators, code, after.get(code)),
                )
            )
        return [phrase for phrase in phrases if phrase]
    if action == AuditAction.APPRAISED:
        return [
            change_words(
                _criterion_label(after.get("criterion", before.get("criterion"))),
                _appraisal_words(before.get("status", "")),
                _appraisal_words(after.get("status", "")),
            )
        ]
    if action == AuditAction.OVERRIDDEN:
        label = (
            _indicator_label(before.get("indicator") or after.get("indicator"))
            if before.get("indicator") or after.get("indicator")
            else _criterion_label(before.get("criterion", after.get("criterion")))
        )
        computed = (
            criteria_wording.verdict_words(before["status"])
            if "status" in before
            else criteria_wording.met_words(before.get("met"))
        )
        return [
            _("%(label)s (tính toán: %(computed)s): từ “%(before)s” thành “%(after)s”")
            % {
                "label": label,
                "computed": computed,
                "before": _override_words(before.get("override")),
                "after": _override_words(after.get("override")),
            }
        ]
    if "status" in before or "status" in after:
        phrases.append(
            change_words(
                _("trạng thái"), _status_words(before.get("status", "")), _status_words(after.get("status", ""))
            )
        )
    phrases.extend(_item_words(item) for item in after.get("items", ()))
    if "decision_number" in after:
        phrases.append(change_words(_("số quyết định"), None, after["decision_number"]))
    if "decision_date" in after:
        phrases.append(change_words(_("ngày quyết định"), None, after["decision_date"]))
    if "standard_reached" in after:
        phrases.append(
            change_words(_("kết quả"), None, _("Đạt chuẩn") if after["standard_reached"] else _("Chưa đạt chuẩn"))
        )
    if "name" in before or "name" in after:
        label = _indicator_label(after["indicator"]) if after.get("indicator") else _("tệp minh chứng")
        phrases.append(change_words(label, before.get("name"), after.get("name")))
    if "submissions" in after:
        phrases.append(change_words(_("số hồ sơ"), None, after["submissions"]))
    common = after.get("common_target")
    if common:
        phrases.append(_("dùng chỉ tiêu chung cho %(count)s đơn vị chưa phân loại") % {"count": common.get("count", 0)})
    return [phrase for phrase in phrases if phrase]


register_describer(AuditAction.values, describe)


def history_in_words(subject: Round | Submission) -> list[EntryWords]:
    """The subject's history (newest first) as sentences, for the review page and its export."""
    return history_words(history(subject), subject)
