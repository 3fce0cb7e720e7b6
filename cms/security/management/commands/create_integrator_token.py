"""Create an integrator's API token from the command line (an operator's task); the key is printed once."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cms import errors
from cms.directory.models import Department, Role, Unit, UnitLevel
from cms.security import services
from cms.security.access import TOKEN_ROLES


class Command(BaseCommand):
    help = (
        "Tạo mã truy cập API cho một hệ thống tích hợp của một tỉnh và in mã ra một lần duy nhất. "
        "Không có --role: mã chỉ đọc dữ liệu công khai."
    )

    def add_arguments(self, parser):
        parser.add_argument("--province", required=True, help="Mã tỉnh (theo danh mục mới nhất có tỉnh này).")
        parser.add_argument("--integrator", required=True, help="Tên hệ thống tích hợp.")
        parser.add_argument("--name", required=True, help="Tên mã (để phân biệt các mã của một hệ thống).")
        parser.add_argument("--role", choices=[role.value for role in TOKEN_ROLES], default="", help="Vai trò.")
        parser.add_argument("--scope", default="", help="Mã đơn vị (xã, huyện) hoặc mã sở, ngành của vai trò.")
        parser.add_argument("--write", action="store_true", help="Mã có vai trò được ghi (mặc định: chỉ đọc).")
        parser.add_argument("--expires", default="", help="Dùng được đến hết ngày (dd/mm/yyyy).")

    def handle(self, *args, province, integrator, name, role, scope, write, expires, **options):
        province_unit = Unit.objects.filter(code=province, level=UnitLevel.PROVINCE).order_by("-edition__date").first()
        if province_unit is None:
            raise CommandError(f"Không có tỉnh mã {province}.")
        unit = department = None
        if role == Role.DEPARTMENT_APPRAISER:
            department = Department.objects.filter(province__code=province, code=scope).first()
            if department is None:
                raise CommandError(f"Tỉnh {province} không có sở, ngành mã {scope}.")
        elif role and role != Role.OFFICE_EDITOR:
            unit = Unit.objects.within(province_unit).filter(code=scope).first()
            if unit is None:
                raise CommandError(f"Tỉnh {province} không có đơn vị mã {scope}.")
        try:
            created = services.integrator_token_create(
                province=province_unit,
                integrator_name=integrator,
                name=name,
                role=role,
                unit=unit,
                department=department,
                read_only=not write,
                expires_at=_end_of(expires) if expires else None,
            )
        except errors.DomainError as error:
            raise CommandError(error.message) from error
        token = created.token
        self.stdout.write(f"Đã tạo mã {token.prefix} cho {token.integrator.name} ({province_unit.name}).")
        self.stdout.write("Mã chỉ hiện một lần này; hãy lưu ngay:")
        self.stdout.write(created.key)


def _end_of(text: str) -> datetime.datetime:
    try:
        day = datetime.datetime.strptime(text, "%d/%m/%Y").date()  # noqa: DTZ007 (a calendar day, made aware below)
    except ValueError as error:
        raise CommandError(f"Ngày không đúng dạng dd/mm/yyyy: {text}") from error
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time()))
