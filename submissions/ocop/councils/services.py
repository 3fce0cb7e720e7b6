"""Forming a council (writes): the office of the round's province creates it, seats its members and names its chair.

Who may sit on a council: a person holding the role "Thành viên hội đồng đánh giá OCOP" or "Văn phòng Điều phối"
(the office's own staff often sit on it) in the round's province. A member whose sheets are already submitted
stays (their scores are part of the council's result); a member joining after dossiers were assigned gets an
empty sheet for each of them, so the chair cannot close before they score too.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from cms.directory.access import province_of
from cms.directory.models import Membership, Role, Unit, UnitLevel
from cms.errors import FORBIDDEN, INVALID, LOCKED, WRONG_STATE
from submissions import access
from submissions.audit import audit
from submissions.errors import SubmissionError
from submissions.models import AuditAction, Round
from submissions.ocop.models import Council, CouncilLevel, CouncilMember, CouncilStatus, MemberSheet

#: The roles whose holders in the round's province may be seated on one of its councils.
SEATABLE_ROLES = (Role.COUNCIL_MEMBER, Role.OFFICE_EDITOR)


def _province_q(code: str, prefix: str) -> Q:
    return Q(**{f"{prefix}path": code}) | Q(**{f"{prefix}path__startswith": f"{code}/"})


def seatable_users(round_: Round) -> QuerySet:
    """The people who may be seated on a council of ``round_``: council members and office staff of its province."""
    code = province_of(round_.scope_root)
    memberships = Membership.objects.filter(_province_q(code, "unit__"), role__in=SEATABLE_ROLES)
    return (
        get_user_model()
        .objects.filter(pk__in=memberships.values("user_id"), is_active=True)
        .order_by("last_name", "first_name", "username")
    )


def council_units(round_: Round) -> QuerySet[Unit]:
    """The units a council of ``round_`` may be formed by: its province, or one of the province's communes."""
    code = province_of(round_.scope_root)
    return Unit.objects.filter(
        _province_q(code, ""), level__in=[UnitLevel.PROVINCE, UnitLevel.COMMUNE], edition=round_.scope_root.edition
    ).order_by("path")


def _require_manager(council_round: Round, user) -> None:
    if not access.may_manage_councils(user, council_round):
        raise SubmissionError(
            _("Chỉ Văn phòng Điều phối của tỉnh mới lập và sửa hội đồng của đợt này."), code=FORBIDDEN
        )


def _require_open(council: Council) -> None:
    if council.status != CouncilStatus.OPEN:
        raise SubmissionError(_("Hội đồng đã kết thúc chấm điểm; không sửa được nữa."), code=LOCKED)


def _changed(council: Council, user, **after) -> None:
    audit(round_=council.round, action=AuditAction.COUNCIL_CHANGED, user=user, after={"council": council.name, **after})


@transaction.atomic
def council_create(
    *, round_: Round, name: str, level: str, unit: Unit, establishing_decision: str = "", user
) -> Council:
    """A new (empty) council of ``round_``; its members and chair come next."""
    _require_manager(round_, user)
    name = (name or "").strip()
    if not name:
        raise SubmissionError(_("Hãy nhập tên hội đồng."), code=INVALID, details=["name"])
    if level not in CouncilLevel.values:
        raise SubmissionError(_("Cấp hội đồng không hợp lệ."), code=INVALID, details=["level"])
    expected = UnitLevel.COMMUNE if level == CouncilLevel.COMMUNE else UnitLevel.PROVINCE
    if unit.level != expected or not council_units(round_).filter(pk=unit.pk).exists():
        raise SubmissionError(
            _("Đơn vị thành lập phải là tỉnh của đợt (hội đồng cấp tỉnh) hoặc một xã của tỉnh (hội đồng cấp xã)."),
            code=INVALID,
            details=["unit"],
        )
    council = Council.objects.create(
        round=round_,
        name=name,
        level=level,
        unit=unit,
        establishing_decision=(establishing_decision or "").strip(),
        created_by=user,
    )
    _changed(council, user, change="created", unit=unit.name)
    return council


@transaction.atomic
def member_add(*, council: Council, member_user, user, position: str = "", is_chair: bool = False) -> CouncilMember:
    """Seat ``member_user`` on ``council`` (an empty sheet for every dossier already assigned to it)."""
    _require_manager(council.round, user)
    council = Council.objects.select_for_update().select_related("round").get(pk=council.pk)
    _require_open(council)
    if not seatable_users(council.round).filter(pk=member_user.pk).exists():
        raise SubmissionError(
            _("Chỉ thành viên hội đồng OCOP hoặc cán bộ Văn phòng Điều phối của tỉnh mới được cử vào hội đồng."),
            code=INVALID,
            details=["user"],
        )
    if council.members.filter(user=member_user).exists():
        raise SubmissionError(_("Người này đã là thành viên hội đồng."), code=INVALID, details=["user"])
    if is_chair:
        council.members.filter(is_chair=True).update(is_chair=False)
    member = CouncilMember.objects.create(
        council=council, user=member_user, is_chair=is_chair, position=(position or "").strip()
    )
    MemberSheet.objects.bulk_create([MemberSheet(entry=entry, member=member) for entry in council.entries.all()])
    _changed(council, user, change="member_added", member=_name(member_user), chair=is_chair)
    return member


@transaction.atomic
def member_remove(*, member: CouncilMember, user) -> None:
    """Take ``member`` off the council: refused once they submitted a sheet, and for the chair (name another
    first); their empty sheets go with them."""
    council = member.council
    _require_manager(council.round, user)
    _require_open(council)
    member = CouncilMember.objects.select_for_update().get(pk=member.pk)
    if member.is_chair:
        raise SubmissionError(_("Không bỏ được chủ tịch hội đồng; hãy chọn chủ tịch khác trước."), code=WRONG_STATE)
    if member.sheets.filter(submitted_at__isnull=False).exists():
        raise SubmissionError(_("Thành viên này đã nộp phiếu chấm; không bỏ khỏi hội đồng được nữa."), code=WRONG_STATE)
    member.sheets.all().delete()
    member.delete()
    _changed(council, user, change="member_removed", member=_name(member.user))


@transaction.atomic
def chair_set(*, member: CouncilMember, user) -> CouncilMember:
    """Make ``member`` the chair of their council (the previous chair stays a member)."""
    council = member.council
    _require_manager(council.round, user)
    _require_open(council)
    CouncilMember.objects.filter(council=council, is_chair=True).exclude(pk=member.pk).update(is_chair=False)
    CouncilMember.objects.filter(pk=member.pk).update(is_chair=True)
    member.is_chair = True
    _changed(council, user, change="chair_set", chair=_name(member.user))
    return member


def _name(user) -> str:
    return user.get_full_name() or user.get_username()
