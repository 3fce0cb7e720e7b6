"""Writes of the people app: accounts, their memberships (through the directory's services), invitations and
activation, and the bulk import. Keyword-only, typed; database writes in one transaction, e-mails queued in the
outbox (:mod:`cms.outbox`) and sent by the task worker after it commits (a refused import sends nothing)."""

import re
import secrets
from collections import defaultdict
from functools import reduce
from operator import or_

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from cms.directory import services as directory_services
from cms.directory.importers import CODE_WIDTH
from cms.directory.models import ROLE_SCOPE_LEVEL, Department, Membership, Producer, Role, Unit, UnitLevel
from cms.directory.text import fold, nfc
from cms.outbox.models import NoticeKind
from cms.outbox.services import Mail, mail_enqueue

from .audit import PeopleAction, record_person
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
    if role == Role.PRODUCER:
        # Its scope is a producer, not a unit: the import resolves it (producer_scope_problem); one person's page
        # sends the office to the producer's own page.
        return _(
            "Vai trò “%(role)s” có phạm vi là một chủ thể: tạo tài khoản ở trang của chủ thể (Chủ thể OCOP → Tạo "
            "tài khoản) hoặc nhập danh sách với phạm vi là số đăng ký kinh doanh của chủ thể."
        ) % {"role": role_label}
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


def units_by_code(province: Unit, codes) -> dict[str, Unit]:
    return {unit.code: unit for unit in Unit.objects.within(province).filter(code__in=set(codes))}


def departments_by_code(province: Unit, codes) -> dict[str, Department]:
    found: dict[str, Department] = {}
    for department in Department.objects.filter(province__code=province.code, code__in=set(codes)).order_by("pk"):
        if department.code not in found or department.province_id == province.pk:
            found[department.code] = department
    return found


def scope_resolve(*, province: Unit, role: str, code: str) -> tuple[Unit | None, Department | None]:
    """The unit or department ``code`` names as ``role``'s scope in ``province``; ValidationError otherwise."""
    code = nfc(code)
    unit = units_by_code(province, [code]).get(code)
    department = departments_by_code(province, [code]).get(code)
    problem = scope_problem(role=role, code=code, unit=unit, department=department, province=province)
    if problem:
        raise ValidationError(problem)
    return (None, department) if role == Role.DEPARTMENT_APPRAISER else (unit, None)


def membership_in_province(membership: Membership, province: Unit) -> bool:
    """Whether ``membership`` lies in ``province``: its unit in the province in any edition of its history (the
    province keeps its code across the lists: Đắk Lắk is 66 in the three-level and the two-level list), its
    department in the province, or (an OCOP producer's login) its producer's commune in the province."""
    if membership.unit_id:
        return membership.unit.path.startswith(f"{province.code}/")
    if membership.department_id:
        return membership.department.province.code == province.code
    if membership.producer_id:
        return membership.producer.commune.path.startswith(f"{province.code}/")
    return False


def producers_by_registration(province: Unit, numbers) -> dict[str, list[Producer]]:
    """The producers of ``province`` (its communes, in its edition) with each of the registration ``numbers``."""
    found: dict[str, list[Producer]] = defaultdict(list)
    numbers = {number for number in numbers if number}
    if numbers:
        for producer in (
            Producer.objects.within(province)
            .filter(registration_number__in=numbers)
            .select_related("commune")
            .order_by("pk")
        ):
            found[producer.registration_number].append(producer)
    return found


def producer_scope_problem(*, number: str, producers: list[Producer], province: Unit) -> str | None:
    """Why ``number`` does not name one producer of ``province`` (None when it names exactly one)."""
    if not number:
        return _("Thiếu phạm vi: với vai trò “%(role)s”, ghi số đăng ký kinh doanh của chủ thể.") % {
            "role": Role.PRODUCER.label
        }
    if not producers:
        return _("Không có chủ thể OCOP số đăng ký kinh doanh “%(number)s” ở %(province)s.") % {
            "number": number,
            "province": province.name,
        }
    if len(producers) > 1:
        return _(
            "Số đăng ký kinh doanh “%(number)s” có ở nhiều chủ thể của %(province)s (%(names)s): tạo tài khoản ở "
            "trang của từng chủ thể."
        ) % {
            "number": number,
            "province": province.name,
            "names": "; ".join(f"{p.name} – {p.commune.name}" for p in producers),
        }
    return None


# --- one person --------------------------------------------------------------------------------------------


def contact_words(person) -> dict[str, str]:
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
    record_person(person=user, action=PeopleAction.ACCOUNT_CREATED, actor=actor, after=contact_words(user))
    for role, unit, department in memberships:
        directory_services.membership_create(user=user, role=role, unit=unit, department=department, actor=actor)
    return user


@transaction.atomic
def person_update(*, person, full_name: str, email: str, phone: str, actor=None):
    before = contact_words(person)
    person.first_name, person.last_name = split_name(full_name)
    person.email = email.strip().lower()
    person.full_clean(exclude=["password"])
    person.save(update_fields=["first_name", "last_name", "email"])
    profile, _created = Profile.objects.get_or_create(user=person)
    profile.phone = phone.strip()
    profile.save(update_fields=["phone"])
    person.people_profile = profile
    after = contact_words(person)
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


def invitation_message(*, person, invitation: Invitation, base_url: str) -> EmailMessage:
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


def province_codes_by_person(people) -> dict[int, set[str]]:
    """The provinces each of ``people`` belongs to (memberships' units and departments, the office keeping the
    record): whose office sees their e-mails in the outbox. Two queries."""
    codes = defaultdict(set)
    for user_id, path, department_province, producer_path in Membership.objects.filter(user__in=people).values_list(
        "user_id", "unit__path", "department__province__code", "producer__commune__path"
    ):
        codes[user_id] |= {
            code
            for code in ((path or "").split("/", 1)[0], department_province, (producer_path or "").split("/", 1)[0])
            if code
        }
    for user_id, code in (
        Profile.objects.filter(user__in=people).exclude(province_code="").values_list("user_id", "province_code")
    ):
        codes[user_id].add(code)
    return codes


def invitations_send(messages: list[EmailMessage], invitations: list[Invitation]) -> int:
    """Queue the invitation e-mails (``messages``, in the order of ``invitations``) in the outbox: one notice per
    invitation, sent by the task worker after the caller's transaction commits. Returns how many were queued."""
    if not messages:
        return 0
    provinces = province_codes_by_person([invitation.user for invitation in invitations])
    queued = mail_enqueue(
        kind=NoticeKind.INVITATION,
        mails=[
            Mail(
                address,
                message.subject,
                message.body,
                user=invitation.user,
                province_codes=tuple(sorted(provinces[invitation.user.pk])),
                event=f"invitation:{invitation.pk}",
            )
            for message, invitation in zip(messages, invitations, strict=True)
            for address in message.to
        ],
    )
    Invitation.objects.filter(pk__in=[i.pk for i in invitations]).update(sent_at=timezone.now())
    return queued


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
    invitations_send([invitation_message(person=person, invitation=invitation, base_url=base_url)], [invitation])
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
