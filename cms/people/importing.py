"""The people import: a file of people and their roles for one province's office, checked against the database
with a fixed number of queries and written all or nothing (:func:`people_import`). Reading the file is
:mod:`cms.people.importers`; one person's writes are :mod:`cms.people.services`."""

import time
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.directory import services as directory_services
from cms.directory.importers import ImportFileError
from cms.directory.models import Department, Membership, Producer, Role, Unit
from cms.directory.text import fold

from .audit import PeopleAction, record_person
from .importers import PersonRow, Problem, parse_people, read_rows
from .models import Channel, Invitation, Profile
from .services import (
    contact_words,
    departments_by_code,
    invitation_message,
    invitations_send,
    membership_in_province,
    producer_scope_problem,
    producers_by_registration,
    scope_candidates,
    scope_problem,
    split_name,
    units_by_code,
    usernames_make,
)
from .tokens import INVITATION_DAYS


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
        codes = {code for r in records if r.scope and r.role != Role.PRODUCER for code in scope_candidates(r.scope)}
        self.units = units_by_code(province, codes)
        self.departments = departments_by_code(province, codes)
        # An OCOP producer's login is scoped by the producer's registration number within the province.
        self.producers = producers_by_registration(province, {r.scope for r in records if r.role == Role.PRODUCER})
        self.people: dict[tuple, _Person] = {}
        #: row -> its scope (unit, department, producer), when valid
        self.scopes: dict[int, tuple[Unit | None, Department | None, Producer | None]] = {}

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
        if record.role == Role.PRODUCER:
            producers = self.producers.get(record.scope, [])
            problem = producer_scope_problem(number=record.scope, producers=producers, province=self.province)
            if problem:
                self.problem(record, "pham_vi", problem)
            else:
                self.scopes[record.row] = (None, None, producers[0])
            return
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
            self.scopes[record.row] = (None, self.departments[record.scope], None)
        else:
            self.scopes[record.row] = (self.units[record.scope], None, None)

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
                "memberships__producer__commune",
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
        held = {(m.role, m.unit_id, m.department_id, m.producer_id) for m in account.memberships.all()}
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
        unit, department, producer = self.scopes.get(record.row, (None, None, None))
        return (
            record.role,
            unit.pk if unit else None,
            department.pk if department else None,
            producer.pk if producer else None,
        )


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
    report.invited = invitations_send(messages, invitations)
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
        record_person(person=account, action=PeopleAction.ACCOUNT_CREATED, actor=actor, after=contact_words(account))
    report.created = accounts

    for person in people:
        if person.account in accounts or not person.changes:
            continue
        account = person.account
        before = contact_words(account)
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
            after=contact_words(account),
        )
        report.updated.append(account)

    granted = directory_services.memberships_create(
        memberships=[
            Membership(
                user=person.account,
                role=record.role,
                unit=scopes[record.row][0],
                department=scopes[record.row][1],
                producer=scopes[record.row][2],
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
        messages.append(invitation_message(person=invitation.user, invitation=invitation, base_url=base_url))
    return messages, invitations
