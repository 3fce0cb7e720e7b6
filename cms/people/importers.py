"""Reading a people file (CSV or XLSX) into plain rows, with every problem that needs no database.

Columns (Vietnamese header, English alias; case, diacritics and spaces in the header do not matter, so
"Họ tên" reads as ``ho_ten``): ``ho_ten``/``full_name``, ``email``, ``dien_thoai``/``phone``,
``ten_dang_nhap``/``username`` (optional), ``vai_tro``/``role`` (code or Vietnamese name), ``pham_vi``/``scope``
(unit code or department code; for an OCOP producer's login, the producer's registration number in the province).
One row is one membership: a person holding two roles has two rows.
:mod:`cms.people.services` resolves scopes and people against the database and writes.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from cms.directory.importers import Problem, read_rows
from cms.directory.models import Role
from cms.directory.text import fold, nfc

#: Canonical column -> (Vietnamese header, English alias).
COLUMNS = {
    "full_name": ("ho_ten", "full_name"),
    "email": ("email", "e_mail"),
    "phone": ("dien_thoai", "phone"),
    "username": ("ten_dang_nhap", "username"),
    "role": ("vai_tro", "role"),
    "scope": ("pham_vi", "scope"),
}
REQUIRED = ("full_name", "role")
#: The header of the template file, in order.
TEMPLATE_HEADER = [names[0] for names in COLUMNS.values()]
USERNAME_PATTERN = re.compile(r"^[\w.@+-]+$")
_PHONE_CHARS = re.compile(r"[\s.()\-]")
#: A Vietnamese mobile number typed into Excel loses its leading zero: 9 digits get it back.
_PHONE_DIGITS_WITHOUT_ZERO = 9

__all__ = ["COLUMNS", "TEMPLATE_HEADER", "PersonRow", "Problem", "parse_people", "read_rows", "role_from_text"]


@dataclass
class PersonRow:
    row: int  # 1-based, as a spreadsheet shows it
    full_name: str
    email: str
    phone: str
    username: str
    role: str
    scope: str

    def identity(self) -> tuple:
        """Who the row is about: the username, else the mailbox and name (communes share mailboxes), else the
        phone and name."""
        if self.username:
            return ("username", self.username.lower())
        if self.email:
            return ("email", self.email.lower(), fold(self.full_name))
        return ("phone", self.phone, fold(self.full_name))

    def details(self) -> tuple[str, str, str]:
        return (nfc(self.full_name), self.email.lower(), self.phone)


def _header_key(text: str) -> str:
    return "_".join(fold(str(text)).replace("-", " ").split())


def role_from_text(text: str) -> str | None:
    """A role from its code or its Vietnamese name (diacritics and case do not matter)."""
    wanted = fold(text)
    for role in Role:
        if wanted in (role.value, fold(str(role.label))):
            return role.value
    return None


def phone_from_cell(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        digits = str(value)
        return "0" + digits if len(digits) == _PHONE_DIGITS_WITHOUT_ZERO else digits
    return _PHONE_CHARS.sub("", nfc(str(value)))


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return nfc(str(value))


def parse_people(rows: list[dict]) -> tuple[list[PersonRow], list[Problem]]:
    """Turn :func:`read_rows` output into person rows and collect every problem found without the database."""
    problems: list[Problem] = []
    if not rows:
        return [], [Problem(None, "", _("Tệp trống."))]
    header = [_header_key(name) for name in rows[0]["__header__"]]
    column_of = {}
    for canonical, names in COLUMNS.items():
        found = next((name for name in names if name in header), None)
        if found:
            column_of[canonical] = found
    for canonical in REQUIRED:
        if canonical not in column_of:
            problems.append(
                Problem(1, COLUMNS[canonical][0], _("Thiếu cột “%(column)s”.") % {"column": COLUMNS[canonical][0]})
            )
    if problems:
        return [], problems
    raw_header = rows[0]["__header__"]
    key_of = dict(zip(header, raw_header, strict=False))
    records = []
    for number, row in enumerate(rows[1:], start=2):
        if not row:
            continue

        def cell(canonical, row=row):
            column = column_of.get(canonical)
            return row.get(key_of[column], "") if column else ""

        record = PersonRow(
            row=number,
            full_name=" ".join(_text(cell("full_name")).split()),
            email=_text(cell("email")).lower(),
            phone=phone_from_cell(cell("phone")),
            username=_text(cell("username")),
            role=_text(cell("role")),
            scope=_text(cell("scope")),
        )
        problems.extend(_check(record, column_of))
        records.append(record)
    if not records and not problems:
        problems.append(Problem(None, "", _("Tệp không có dòng dữ liệu nào.")))
    return records, problems


def _check(record: PersonRow, column_of: dict) -> list[Problem]:
    found = []

    def problem(canonical, message):
        found.append(Problem(record.row, column_of.get(canonical, COLUMNS[canonical][0]), message))

    if not record.full_name:
        problem("full_name", _("Thiếu họ tên."))
    if record.email:
        try:
            validate_email(record.email)
        except ValidationError:
            problem("email", _("E-mail “%(email)s” không hợp lệ.") % {"email": record.email})
    if record.username and not USERNAME_PATTERN.match(record.username):
        problem("username", _("Tên đăng nhập chỉ gồm chữ không dấu, số và các ký tự . @ + - _."))
    if not (record.username or record.email or record.phone):
        problem("email", _("Cần ít nhất một trong: tên đăng nhập, e-mail, điện thoại (để nhận ra người này)."))
    role = role_from_text(record.role)
    if not record.role:
        problem("role", _("Thiếu vai trò."))
    elif role is None:
        problem(
            "role",
            _("Vai trò “%(role)s” không có. Dùng một trong: %(roles)s.")
            % {
                "role": record.role,
                "roles": "; ".join(str(role.label) for role in Role if role != Role.NATIONAL_READER),
            },
        )
    else:
        record.role = role
    return found
