"""The people's spreadsheets: the accounts of a province (with roles in words) and the import template."""

from django.utils import timezone
from django.utils.translation import gettext as _

from cms.directory.models import Role
from cms.xlsx import Book, add_list_validation, write_paragraph, write_table

from .importers import COLUMNS, TEMPLATE_HEADER

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATE_ROWS = 500


def membership_words(membership) -> str:
    """ "Cán bộ xã – Xã Hòa Thuận (24400)"."""
    scope = membership.scope
    return f"{membership.get_role_display()} – {scope}" if scope else str(membership.get_role_display())


def yes_no(value: bool) -> str:
    return _("Có") if value else _("Không")


def people_workbook(people, *, contact_ids: set[int]) -> bytes:
    """One row per person (prefetched with :func:`cms.people.selectors.people_with_details`); e-mail and phone
    only for ``contact_ids``, the people of the viewer's own office."""
    book = Book()
    sheet = book.add_sheet(_("Người dùng"))
    headers = [
        _("Họ và tên"),
        _("Tên đăng nhập"),
        _("Vai trò và phạm vi"),
        _("Đang hoạt động"),
        _("Đã kích hoạt"),
        _("Đăng nhập lần cuối"),
        _("E-mail"),
        _("Điện thoại"),
    ]
    rows = []
    for person in people:
        profile = getattr(person, "people_profile", None)
        shown = person.pk in contact_ids
        rows.append(
            [
                person.get_full_name(),
                person.get_username(),
                "\n".join(membership_words(m) for m in person.memberships.all()),
                yes_no(person.is_active),
                yes_no(person.has_usable_password()),
                timezone.localtime(person.last_login).date() if person.last_login else None,
                person.email if shown else "",
                (profile.phone if profile else "") if shown else "",
            ]
        )
    write_table(sheet, headers, rows, widths=[28, 20, 50, 12, 12, 16, 28, 16], column_formats=[None, "text", "wrap"])
    return book.close()


def import_template() -> bytes:
    """The people file's header (Vietnamese column names), a drop-down of roles, and a sheet of instructions."""
    book = Book()
    sheet = book.add_sheet(_("Danh sách"))
    write_table(sheet, TEMPLATE_HEADER, [], widths=[28, 28, 16, 20, 34, 16], column_formats=["text"] * 6)
    role_column = TEMPLATE_HEADER.index(COLUMNS["role"][0])
    add_list_validation(
        sheet,
        1,
        role_column,
        TEMPLATE_ROWS,
        [str(label) for value, label in Role.choices if value != Role.NATIONAL_READER],
    )
    guide = book.add_sheet(_("Hướng dẫn"))
    row = 0
    for text in (
        _(
            "Mỗi dòng là một vai trò của một người; người giữ hai vai trò có hai dòng "
            "(cùng họ tên, e-mail, điện thoại)."
        ),
        _("ho_ten: họ và tên. email: thư điện tử (nhiều người dùng chung một hộp thư được). dien_thoai: điện thoại."),
        _(
            "ten_dang_nhap: để trống thì tạo từ họ tên, không dấu (Nguyễn Văn An → nguyenvanan, trùng thì thêm số). "
            "Một người được nhận ra theo tên đăng nhập, nếu không có thì theo e-mail và họ tên, sau cùng theo điện "
            "thoại và họ tên: nhập lại cùng tệp không thay đổi gì."
        ),
        _(
            "vai_tro: Văn phòng Điều phối NTM, Thẩm tra cấp huyện, Thẩm định của sở, ngành hoặc Cán bộ xã "
            "(hoặc mã: office_editor, district_reviewer, department_appraiser, commune_officer)."
        ),
        _(
            "pham_vi: mã đơn vị hành chính (mã tỉnh cho văn phòng, mã huyện cho thẩm tra, mã xã cho cán bộ xã) "
            "hoặc mã sở, ngành (cho cán bộ thẩm định), ví dụ so-xd."
        ),
        _("Tên cột tiếng Anh cũng được nhận: full_name, email, phone, username, role, scope."),
        _(
            "Tệp được nhập trọn vẹn hoặc không nhập gì: mọi lỗi được báo kèm số dòng. Người có e-mail nhận thư mời "
            "kích hoạt; người không có e-mail được văn phòng in thư kích hoạt trao tay."
        ),
    ):
        row = write_paragraph(guide, row, text, last_col=7)
    guide.set_column(0, 7, 14)
    return book.close()
