"""Writes of the people app: accounts, their memberships (through the directory's services), invitations and
activation, and the bulk import. Keyword-only, typed; database writes in one transaction, e-mails sent after it
commits (a refused import sends nothing)."""

import re
import secrets
import time
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from cms.directory import services as directory_services
from cms.directory.importers import CODE_WIDTH, ImportFileError
from cms.directory.models import ROLE_SCOPE_LEVEL, Department, Membership, Role, Unit, UnitLevel
from cms.directory.text import fold, nfc

from .audit import PeopleAction, record_person
from .importers import PersonRow, Problem, parse_people, read_rows
from .models import Channel, Invitation, Profile
from .tokens import INVITATION_DAYS, invitation_token_generator

#: A letter's code: 10 characters from an alphabet without look-alikes (0/O, 1/I/L), about 50 bits.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10
#: Wrong codes typed for one letter before it is cancelled (the office prints a new one).
MAX_CODE_ATTEMPTS = 5
USERNAME_MAX = 150
_NOT_USERNAME = re.compile(r"[^a-z0-9]")
DEFAULT_USERNAME = "nguoidung"


# --- words and links ------------------------------------------------------------------------------------


def full_name_of(person) -> str:
    return person.get_full_name() or person.get_username()


def split_name(full_name: str) -> tuple[str, str]:
    """Vietnamese order: family and middle names as ``first_name``, the given name (by which lists sort) as
    ``last_name``, so ``get_full_name()`` reads "Nguyễn Văn An"."""
    words = nfc(full_name).split()
    if len(words) < 2:
        return "", " ".join(words)
    return " ".join(words[:-1]), words[-1]


def public_base_url(request=None) -> str:
    """Where links sent to people point: ``PUBLIC_BASE_URL``, else the request's own address."""
    if settings.PUBLIC_BASE_URL:
        return settings.PUBLIC_BASE_URL
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    raise ImproperlyConfigured(_("Chưa đặt PUBLIC_BASE_URL: không tạo được liên kết gửi cho người dùng."))


def activation_link(*, person, invitation: Invitation, base_url: str) -> str:
    uidb64 = urlsafe_base64_encode(force_bytes(person.pk))
    token = invitation_token_generator.make_invitation_token(person, invitation)
    return base_url + reverse("people_activate", kwargs={"uidb64": uidb64, "token": token})


def username_base(full_name: str) -> str:
    """ "Nguyễn Văn An" -> "nguyenvanan"."""
    return (_NOT_USERNAME.sub("", fold(full_name)) or DEFAULT_USERNAME)[: USERNAME_MAX - 6]


def usernames_make(full_names: list[str], *, reserved=()) -> list[str]:
    """Unique usernames made from ``full_names`` (a number added when taken: nguyenvanan2, …), none of them in
    ``reserved`` (usernames a file gives its other people); one query."""
    bases = [username_base(name) for name in full_names]
    if not bases:
        return []
    user_model = get_user_model()
    taken = {name.lower() for name in reserved} | {
        name.lower()
        for name in user_model.objects.filter(reduce(or_, (Q(username__istartswith=b) for b in set(bases))))
        .values_list("username", flat=True)
        .iterator()
    }
    made = []
    for base in bases:
        candidate, number = base, 2
        while candidate in taken:
            candidate, number = f"{base}{number}", number + 1
        taken.add(candidate)
        made.append(candidate)
    return made


# --- scopes ------------------------------------------------------------------------------------------------


def scope_problem(*, role: str, code: str, unit: Unit | None, department: Department | None, province: Unit):
    """Why ``code`` cannot be ``role``'s scope in ``province`` (None when it can)."""
    role_label = Role(role).label
    if role == Role.NATIONAL_READER:
        return _("Vai trò “%(role)s” không cấp qua danh sách người của tỉnh.") % {"role": role_label}
    if not code:
        return _("Thiếu phạm vi (mã đơn vị hoặc mã sở, ngành).")
    if role == Role.DEPARTMENT_APPRAISER:
        if department is not None:
            return None
        if unit is not None:
            return _("Vai trò “%(role)s” cần mã sở, ngành; “%(code)s” là mã đơn vị (%(unit)s).") % {
                "role": role_label,
                "code": code,
                "unit": unit.name,
            }
        return _("Không có sở, ngành mã “%(code)s” ở %(province)s.") % {"code": code, "province": province.name}
    if unit is None:
        if department is not None:
            return _("Vai trò “%(role)s” cần mã đơn vị hành chính; “%(code)s” là mã sở, ngành (%(department)s).") % {
                "role": role_label,
                "code": code,
                "department": department.name,
            }
        return _("Không có đơn vị mã “%(code)s” ở %(province)s.") % {"code": code, "province": province.name}
    expected = ROLE_SCOPE_LEVEL[role]
    if unit.level != expected:
        return _("Vai trò “%(role)s” cần một đơn vị %(level)s; “%(code)s” là %(unit)s (%(unit_level)s).") % {
            "role": role_label,
            "level": UnitLevel(expected).label.lower(),
            "code": code,
            "unit": unit.name,
            "unit_level": UnitLevel(unit.level).label.lower(),
        }
    return None


def scope_candidates(code: str) -> list[str]:
    """``code`` and, for a number a spreadsheet stripped of its leading zeros, the official widths it may have."""
    if not code.isdigit():
        return [code]
    return list(dict.fromkeys([code, *(code.zfill(width) for width in CODE_WIDTH.values())]))


def _units_by_code(province: Unit, codes) -> dict[str, Unit]:
    return {unit.code: unit for unit in Unit.objects.within(province).filter(code__in=set(codes))}


def _departments_by_code(province: Unit, codes) -> dict[str, Department]:
    found: dict[str, Department] = {}
    for department in Department.objects.filter(province__code=province.code, code__in=set(codes)).order_by("pk"):
        if department.code not in found or department.province_id == province.pk:
            found[department.code] = department
    return found


def scope_resolve(*, province: Unit, role: str, code: str) -> tuple[Unit | None, Department | None]:
    """The unit or department ``code`` names as ``role``'s scope in ``province``; ValidationError otherwise."""
    code = nfc(code)
    unit = _units_by_code(province, [code]).get(code)
    department = _departments_by_code(province, [code]).get(code)
    problem = scope_problem(role=role, code=code, unit=unit, department=department, province=province)
    if problem:
        raise ValidationError(problem)
    return (None, department) if role == Role.DEPARTMENT_APPRAISER else (unit, None)


def membership_in_province(membership: Membership, province: Unit) -> bool:
    """Whether ``membership`` lies in ``province``: its unit in the province in any edition of its history (the
    province keeps its code across the lists: Đắk Lắk is 66 in the three-level and the two-level list), or its
    department in the province."""
    if membership.unit_id:
        return membership.unit.path.startswith(f"{province.code}/")
    if membership.department_id:
        return membership.department.province.code == province.code
    return False


# --- one person --------------------------------------------------------------------------------------------


def _contact_words(person) -> dict[str, str]:
    profile = getattr(person, "people_profile", None)
    return {
        str(_("họ tên")): full_name_of(person),
        str(_("e-mail")): person.email or "—",
        str(_("điện thoại")): (profile.phone if profile else "") or "—",
    }


@transaction.atomic
def person_create(
    *,
    full_name: str,
    email: str = "",
    phone: str = "",
    username: str = "",
    province_code: str = "",
    memberships=(),
    actor=None,
):
    """A new account with an unusable password (the invitation sets it), active so that its link works, and its
    ``memberships`` ((role, unit, department) each, granted through the directory's services)."""
    if username and get_user_model().objects.filter(username__iexact=username).exists():
        raise ValidationError(
            {"username": _("Tên đăng nhập “%(username)s” đã có người dùng.") % {"username": username}}
        )
    first_name, last_name = split_name(full_name)
    user = get_user_model()(
        username=username or usernames_make([full_name])[0],
        first_name=first_name,
        last_name=last_name,
        email=email.strip().lower(),
        is_active=True,
    )
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    Profile.objects.create(user=user, phone=phone.strip(), province_code=province_code, created_by=actor)
    record_person(person=user, action=PeopleAction.ACCOUNT_CREATED, actor=actor, after=_contact_words(user))
    for role, unit, department in memberships:
        directory_services.membership_create(user=user, role=role, unit=unit, department=department, actor=actor)
    return user


@transaction.atomic
def person_update(*, person, full_name: str, email: str, phone: str, actor=None):
    before = _contact_words(person)
    person.first_name, person.last_name = split_name(full_name)
    person.email = email.strip().lower()
    person.full_clean(exclude=["password"])
    person.save(update_fields=["first_name", "last_name", "email"])
    profile, _created = Profile.objects.get_or_create(user=person)
    profile.phone = phone.strip()
    profile.save(update_fields=["phone"])
    person.people_profile = profile
    after = _contact_words(person)
    if after != before:
        record_person(person=person, action=PeopleAction.ACCOUNT_CHANGED, actor=actor, before=before, after=after)
    return person


@transaction.atomic
def person_deactivate(*, person, actor=None):
    """The person can no longer log in (their history and memberships stay); open invitations are cancelled."""
    if person.is_active:
        person.is_active = False
        person.save(update_fields=["is_active"])
        Invitation.objects.filter(user=person).usable().update(cancelled_at=timezone.now())
        record_person(person=person, action=PeopleAction.DEACTIVATED, actor=actor)
    return person


@transaction.atomic
def person_reactivate(*, person, actor=None):
    if not person.is_active:
        person.is_active = True
        person.save(update_fields=["is_active"])
        record_person(person=person, action=PeopleAction.REACTIVATED, actor=actor)
    return person


@transaction.atomic
def person_membership_add(*, person, role: str, scope_code: str, province: Unit, actor=None) -> Membership:
    unit, department = scope_resolve(province=province, role=role, code=scope_code)
    return directory_services.membership_create(user=person, role=role, unit=unit, department=department, actor=actor)


# --- invitations and activation ----------------------------------------------------------------------------


def _invitation_new(*, person, channel: str, actor) -> Invitation:
    now = timezone.now()
    Invitation.objects.filter(user=person).usable().update(cancelled_at=now)
    return Invitation(
        user=person, channel=channel, created_by=actor, expires_at=now + timezone.timedelta(days=INVITATION_DAYS)
    )


def _invitation_message(*, person, invitation: Invitation, base_url: str) -> EmailMessage:
    context = {
        "person": person,
        "full_name": full_name_of(person),
        "link": activation_link(person=person, invitation=invitation, base_url=base_url),
        "expires_at": invitation.expires_at,
        "site_url": base_url,
        "reset_url": base_url + reverse("password_reset"),
    }
    subject = " ".join(render_to_string("people/email/invitation_subject.txt", context).split())
    body = render_to_string("people/email/invitation_body.txt", context)
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [person.email])


def _send(messages: list[EmailMessage], invitations: list[Invitation]) -> int:
    if not messages:
        return 0
    sent = get_connection().send_messages(messages) or 0
    Invitation.objects.filter(pk__in=[i.pk for i in invitations]).update(sent_at=timezone.now())
    return sent


def invitation_email_send(*, person, base_url: str, actor=None) -> Invitation:
    """A new one-time link by e-mail (older invitations cancelled); recorded on the person."""
    if not person.email:
        raise ValidationError(_("Người này chưa có e-mail: in thư kích hoạt thay vì gửi e-mail."))
    with transaction.atomic():
        invitation = _invitation_new(person=person, channel=Channel.EMAIL, actor=actor)
        invitation.save()
        record_person(
            person=person,
            action=PeopleAction.INVITED,
            actor=actor,
            after={str(_("hình thức")): str(Channel.EMAIL.label)},
        )
    _send([_invitation_message(person=person, invitation=invitation, base_url=base_url)], [invitation])
    return invitation


@transaction.atomic
def invitation_letters_create(*, people, actor=None) -> list[tuple[object, Invitation, str]]:
    """A new one-time code for each of ``people`` (older invitations cancelled): (person, invitation, code), the
    code in clear only here, for the printed letter."""
    letters = []
    for person in people:
        code = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
        invitation = _invitation_new(person=person, channel=Channel.LETTER, actor=actor)
        invitation.set_code(code)
        invitation.sent_at = timezone.now()
        invitation.save()
        record_person(
            person=person,
            action=PeopleAction.INVITED,
            actor=actor,
            after={str(_("hình thức")): str(Channel.LETTER.label)},
        )
        letters.append((person, invitation, code))
    return letters


def invitation_for_link(*, uidb64: str, token: str):
    """(person, invitation) when the link is valid: the person's newest usable e-mail invitation matches it."""
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (ValueError, TypeError, UnicodeDecodeError):
        return None, None
    person = get_user_model().objects.filter(pk=pk, is_active=True).first()
    if person is None:
        return None, None
    invitation = Invitation.objects.usable().filter(user=person, channel=Channel.EMAIL).first()
    if invitation is None or not invitation_token_generator.check_invitation_token(person, invitation, token):
        return None, None
    return person, invitation


@transaction.atomic
def invitation_for_code(*, username: str, code: str):
    """(person, invitation) when ``code`` is the person's open letter code; a wrong code counts against the letter
    (cancelled after :data:`MAX_CODE_ATTEMPTS`)."""
    person = get_user_model().objects.filter(username=username.strip(), is_active=True).first()
    if person is None:
        return None, None
    invitation = Invitation.objects.usable().select_for_update().filter(user=person, channel=Channel.LETTER).first()
    if invitation is None:
        return None, None
    if invitation.code_matches(code.strip().upper().replace(" ", "").replace("-", "")):
        return person, invitation
    invitation.failed_attempts += 1
    if invitation.failed_attempts >= MAX_CODE_ATTEMPTS:
        invitation.cancelled_at = timezone.now()
    invitation.save(update_fields=["failed_attempts", "cancelled_at"])
    return None, None


@transaction.atomic
def activation_complete(*, person, invitation: Invitation, password: str):
    """Set the password, spend the invitation and record that the personal-data notice was accepted."""
    now = timezone.now()
    person.set_password(password)
    person.save(update_fields=["password"])
    invitation.used_at = now
    invitation.save(update_fields=["used_at"])
    Invitation.objects.filter(user=person).usable().update(cancelled_at=now)
    profile, _created = Profile.objects.get_or_create(user=person)
    profile.privacy_accepted_at = now
    profile.save(update_fields=["privacy_accepted_at"])
    record_person(
        person=person,
        action=PeopleAction.ACTIVATED,
        actor=person,
        after={str(_("hình thức")): str(invitation.get_channel_display())},
    )
    return person


# --- the first office editor -------------------------------------------------------------------------------


def office_editor_create(
    *, province: Unit, email: str, full_name: str, username: str = "", phone: str = "", base_url: str, actor=None
):
    """Bootstrap: a province's (first) office editor, invited by e-mail."""
    with transaction.atomic():
        person = person_create(
            full_name=full_name,
            email=email,
            phone=phone,
            username=username,
            province_code=province.code,
            memberships=[(Role.OFFICE_EDITOR, province, None)],
            actor=actor,
        )
    invitation_email_send(person=person, base_url=base_url, actor=actor)
    return person


# --- bulk import -------------------------------------------------------------------------------------------


@dataclass
class PeopleImportReport:
    province: Unit | None = None
    problems: list[Problem] = field(default_factory=list)
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: int = 0
    memberships_created: int = 0
    invited: int = 0
    letters_needed: list = field(default_factory=list)  # new people without e-mail: print their letters
    rows: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.memberships_created)


@dataclass
class _Person:
    """One person of the file: their rows, and the account they are (None: new)."""

    rows: list[PersonRow]
    account: object = None
    changes: dict = field(default_factory=dict)
    new_rows: list[PersonRow] = field(default_factory=list)  # the memberships to grant


class _Resolver:
    """Checks a parsed file against the database with a fixed number of queries."""

    def __init__(self, records: list[PersonRow], province: Unit, actor, report: PeopleImportReport):
        self.records, self.province, self.actor, self.report = records, province, actor, report
        codes = {code for r in records if r.scope for code in scope_candidates(r.scope)}
        self.units = _units_by_code(province, codes)
        self.departments = _departments_by_code(province, codes)
        self.people: dict[tuple, _Person] = {}
        self.scopes: dict[int, tuple[Unit | None, Department | None]] = {}  # row -> its scope, when valid

    def problem(self, record: PersonRow, column: str, message: str) -> None:
        self.report.problems.append(Problem(record.row, column, message))

    def run(self) -> list[_Person]:
        seen_memberships: dict[tuple, int] = {}
        for record in self.records:
            if record.role in Role.values:
                self._check_scope(record)
            person = self.people.setdefault(record.identity(), _Person(rows=[]))
            if person.rows and person.rows[0].details() != record.details():
                first = person.rows[0]
                self.problem(
                    record,
                    "ho_ten",
                    _("Trùng người với dòng %(row)s nhưng khác họ tên, e-mail hoặc điện thoại.") % {"row": first.row},
                )
            key = (record.identity(), record.role, record.scope)
            if key in seen_memberships:
                self.problem(
                    record,
                    "pham_vi",
                    _("Trùng người, vai trò và phạm vi với dòng %(row)s.") % {"row": seen_memberships[key]},
                )
            seen_memberships.setdefault(key, record.row)
            person.rows.append(record)
        self._match_accounts()
        return list(self.people.values())

    def _check_scope(self, record: PersonRow) -> None:
        record.scope = next(
            (code for code in scope_candidates(record.scope) if code in self.units or code in self.departments),
            record.scope,
        )
        problem = scope_problem(
            role=record.role,
            code=record.scope,
            unit=self.units.get(record.scope),
            department=self.departments.get(record.scope),
            province=self.province,
        )
        if problem:
            self.problem(record, "pham_vi" if record.role != Role.NATIONAL_READER else "vai_tro", problem)
        elif record.role == Role.DEPARTMENT_APPRAISER:
            self.scopes[record.row] = (None, self.departments[record.scope])
        else:
            self.scopes[record.row] = (self.units[record.scope], None)

    def _match_accounts(self) -> None:
        user_model = get_user_model()
        keys = list(self.people)
        usernames = [k[1] for k in keys if k[0] == "username"]
        emails = [k[1] for k in keys if k[0] == "email"]
        phones = [k[1] for k in keys if k[0] == "phone"]
        condition = Q(pk__in=[])
        if usernames:
            condition |= Q(username_lower__in=usernames)
        if emails:
            condition |= Q(email_lower__in=emails)
        if phones:
            condition |= Q(people_profile__phone__in=phones)
        candidates = list(
            user_model.objects.annotate(username_lower=Lower("username"), email_lower=Lower("email"))
            .filter(condition)
            .select_related("people_profile")
            .prefetch_related(
                "memberships__unit",
                "memberships__department__province",
            )
        )
        by_username = {c.username.lower(): c for c in candidates}
        by_email_name: dict[tuple, object] = {}
        by_phone_name: dict[tuple, object] = {}
        for c in candidates:
            name = fold(c.get_full_name())
            by_email_name.setdefault((c.email.lower(), name), c)
            profile = getattr(c, "people_profile", None)
            if profile and profile.phone:
                by_phone_name.setdefault((profile.phone, name), c)
        for key, person in self.people.items():
            if key[0] == "username":
                person.account = by_username.get(key[1])
            elif key[0] == "email":
                person.account = by_email_name.get((key[1], key[2]))
            else:
                person.account = by_phone_name.get((key[1], key[2]))
            if person.account is not None:
                self._check_existing(person)

    def _check_existing(self, person: _Person) -> None:
        account, record = person.account, person.rows[0]
        full_name, email, phone = record.details()
        profile = getattr(account, "people_profile", None)
        if full_name and full_name != account.get_full_name():
            person.changes["full_name"] = full_name
        if email and email != account.email.lower():
            person.changes["email"] = email
        if phone and phone != (profile.phone if profile else ""):
            person.changes["phone"] = phone
        held = {(m.role, m.unit_id, m.department_id) for m in account.memberships.all()}
        new_rows = [r for r in person.rows if r.role in Role.values and self._membership_key(r) not in held]
        person.new_rows = new_rows
        if not (person.changes or new_rows):
            return
        if account.is_superuser:
            self.problem(
                record,
                "ten_dang_nhap",
                _("“%(username)s” là quản trị hệ thống: không sửa qua danh sách.") % {"username": account.username},
            )
        elif any(not membership_in_province(m, self.province) for m in account.memberships.all()):
            self.problem(
                record,
                "ten_dang_nhap",
                _("“%(username)s” có phân quyền ở tỉnh khác: văn phòng chỉ xem, không sửa được người này.")
                % {"username": account.username},
            )

    def _membership_key(self, record: PersonRow) -> tuple:
        unit, department = self.scopes.get(record.row, (None, None))
        return (record.role, unit.pk if unit else None, department.pk if department else None)


def people_import(*, data: bytes, filename: str, province: Unit, base_url: str, actor=None) -> PeopleImportReport:
    """Import a people file for ``province``'s office: all rows or none, every problem with its row; re-importing
    the same file changes nothing. New people with an e-mail get an invitation e-mail; those without one are
    listed in :attr:`PeopleImportReport.letters_needed` for the office to print their letters."""
    started = time.monotonic()
    report = PeopleImportReport(province=province)
    try:
        rows = read_rows(data, filename)
    except ImportFileError as error:
        report.problems.append(Problem(None, "", str(error)))
        return report
    records, problems = parse_people(rows)
    report.problems.extend(problems)
    report.rows = len(records)
    resolver = _Resolver(records, province, actor, report)
    people = resolver.run()
    if not report.ok:
        report.problems.sort(key=lambda p: (p.row or 0, p.column))
        report.seconds = time.monotonic() - started
        return report
    messages, invitations = _write(
        people=people, scopes=resolver.scopes, province=province, actor=actor, report=report, base_url=base_url
    )
    report.invited = _send(messages, invitations)
    report.seconds = time.monotonic() - started
    return report


@transaction.atomic
def _write(*, people: list[_Person], scopes: dict, province: Unit, actor, report: PeopleImportReport, base_url: str):
    user_model = get_user_model()
    new = [p for p in people if p.account is None]
    usernames = usernames_make(
        [p.rows[0].full_name for p in new if not p.rows[0].username],
        reserved={p.rows[0].username for p in new if p.rows[0].username},
    )
    made = iter(usernames)
    accounts = []
    for person in new:
        record = person.rows[0]
        first_name, last_name = split_name(record.full_name)
        account = user_model(
            username=record.username or next(made),
            first_name=first_name,
            last_name=last_name,
            email=record.email,
            is_active=True,
        )
        account.set_unusable_password()
        accounts.append(account)
    user_model.objects.bulk_create(accounts)
    if accounts and accounts[0].pk is None:  # a backend without RETURNING: read the ids back
        ids = dict(user_model.objects.filter(username__in=[a.username for a in accounts]).values_list("username", "pk"))
        for account in accounts:
            account.pk = ids[account.username]
    Profile.objects.bulk_create(
        [
            Profile(user=account, phone=person.rows[0].phone, province_code=province.code, created_by=actor)
            for person, account in zip(new, accounts, strict=True)
        ]
    )
    for person, account in zip(new, accounts, strict=True):
        person.account = account
        person.new_rows = person.rows
        record_person(person=account, action=PeopleAction.ACCOUNT_CREATED, actor=actor, after=_contact_words(account))
    report.created = accounts

    for person in people:
        if person.account in accounts or not person.changes:
            continue
        account = person.account
        before = _contact_words(account)
        if "full_name" in person.changes:
            account.first_name, account.last_name = split_name(person.changes["full_name"])
        if "email" in person.changes:
            account.email = person.changes["email"]
        account.save(update_fields=["first_name", "last_name", "email"])
        if "phone" in person.changes:
            Profile.objects.update_or_create(user=account, defaults={"phone": person.changes["phone"]})
            account.people_profile = Profile.objects.get(user=account)
        record_person(
            person=account,
            action=PeopleAction.ACCOUNT_CHANGED,
            actor=actor,
            before=before,
            after=_contact_words(account),
        )
        report.updated.append(account)

    granted = directory_services.memberships_create(
        memberships=[
            Membership(
                user=person.account, role=record.role, unit=scopes[record.row][0], department=scopes[record.row][1]
            )
            for person in people
            for record in person.new_rows
        ],
        actor=actor,
    )
    report.memberships_created = len(granted)
    report.unchanged = report.rows - report.memberships_created

    invitations, messages = [], []
    now = timezone.now()
    for account in accounts:
        if not account.email:
            report.letters_needed.append(account)
            continue
        invitations.append(
            Invitation(
                user=account,
                channel=Channel.EMAIL,
                created_by=actor,
                expires_at=now + timezone.timedelta(days=INVITATION_DAYS),
            )
        )
    Invitation.objects.bulk_create(invitations)
    for invitation in invitations:
        record_person(
            person=invitation.user,
            action=PeopleAction.INVITED,
            actor=actor,
            after={str(_("hình thức")): str(Channel.EMAIL.label)},
        )
        messages.append(_invitation_message(person=invitation.user, invitation=invitation, base_url=base_url))
    return messages, invitations
