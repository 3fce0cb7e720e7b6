"""Demo data for the directory: Đắk Lắk from the official three-level list, departments, one user per role
(the historical world), and Đắk Lắk from the two-level list with illustrative commune groups (the live world),
with its OCOP side: four illustrative producers in different communes, their eight products (groups from the
148 classification), one login per producer and three council members of the province.

Everything here goes through the same services an office uses, and is flagged ``is_demo``.
"""

import datetime
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from . import classifying, corrections, services
from .models import Classification, Department, Edition, Membership, Role, Unit, UnitLevel

DATA_DIR = Path(__file__).resolve().parent / "data"
THREE_LEVEL_FILE = DATA_DIR / "units_2025-03-01_three_level.csv"
TWO_LEVEL_FILE = DATA_DIR / "units_2025-07-01_two_level.csv"
THREE_LEVEL_DATE = datetime.date(2025, 3, 1)
TWO_LEVEL_DATE = datetime.date(2025, 7, 1)
#: Illustrative commune groups of the two-level Đắk Lắk (thị trấn before the reform → group 1, then every third
#: commune by code → group 3, the rest → group 2): a file as an office would upload, never an official grouping.
DEMO_GROUPS_FILE = DATA_DIR / "demo" / "nhom_xa_66_minh_hoa.csv"
COMMUNE_GROUP = "commune_group"
DEMO_PROVINCE = "66"  # Đắk Lắk
DEMO_PASSWORD = "ntm-demo-2026"  # noqa: S105 - printed for the local demo only

DEMO_DEPARTMENTS = [
    ("so-nnmt", "Sở Nông nghiệp và Môi trường", "SNNMT"),
    ("so-xd", "Sở Xây dựng", "SXD"),
    ("so-ct", "Sở Công Thương", "SCT"),
    ("so-gddt", "Sở Giáo dục và Đào tạo", "SGDĐT"),
    ("so-yt", "Sở Y tế", "SYT"),
    ("so-vhttdl", "Sở Văn hóa, Thể thao và Du lịch", "SVHTTDL"),
    ("so-khcn", "Sở Khoa học và Công nghệ", "SKHCN"),
    ("so-tc", "Sở Tài chính", "STC"),
    ("so-nv", "Sở Nội vụ", "SNV"),
    ("so-tp", "Sở Tư pháp", "STP"),
    ("ca-tinh", "Công an tỉnh", "CAT"),
    ("bchqs-tinh", "Bộ Chỉ huy Quân sự tỉnh", "BCHQS"),
]


#: The illustrative OCOP producers of the live Đắk Lắk: (username of its login, commune code, name, kind,
#: registration number, [(product name, group code)]). Every name says "minh họa"; none is a real business.
DEMO_PRODUCERS = [
    (
        "chuthe_eatul",
        "24277",
        "Hợp tác xã Nông nghiệp Cà phê Ea Tul (minh họa)",
        "cooperative",
        "6000900001",
        [("Cà phê rang xay Ea Tul", "do-uong"), ("Cà phê nhân xanh Ea Tul", "tp-gao-ngu-coc-so-che")],
    ),
    (
        "chuthe_krongnang",
        "24343",
        "Công ty TNHH Mật ong Krông Năng (minh họa)",
        "enterprise",
        "6000900002",
        [("Mật ong hoa cà phê Krông Năng", "tp-mat-ong-nong-san-khac"), ("Tinh bột nghệ Krông Năng", "duoc-lieu")],
    ),
    (
        "chuthe_buondon",
        "24235",
        "Tổ hợp tác Dệt thổ cẩm Buôn Đôn (minh họa)",
        "cooperative_group",
        "6000900003",
        [("Khăn thổ cẩm Buôn Đôn", "thu-cong-my-nghe"), ("Du lịch cộng đồng buôn Trí", "du-lich")],
    ),
    (
        "chuthe_eakar",
        "24373",
        "Hộ kinh doanh Trái cây Ea Kar (minh họa)",
        "household",
        "6000900004",
        [("Sầu riêng Ea Kar", "tp-rau-cu-qua-hat-tuoi"), ("Bơ sáp Ea Kar", "tp-rau-cu-qua-hat-tuoi")],
    ),
]
#: The province's OCOP council members (the first chairs the demo council): (username, label, position).
DEMO_COUNCIL_MEMBERS = [
    ("hoidong_chutich", "Chủ tịch hội đồng OCOP", "Phó Chủ tịch UBND tỉnh, Chủ tịch hội đồng"),
    ("hoidong_2", "Thành viên hội đồng OCOP", "Phó Giám đốc Sở Nông nghiệp và Môi trường"),
    ("hoidong_3", "Thành viên hội đồng OCOP", "Phó Giám đốc Sở Công Thương"),
]


@dataclass
class DemoLogin:
    username: str
    role: str
    scope: str


@transaction.atomic
def load(*, province_code: str = DEMO_PROVINCE) -> list[DemoLogin]:
    report = services.units_import(
        data=THREE_LEVEL_FILE.read_bytes(),
        filename=THREE_LEVEL_FILE.name,
        edition_date=THREE_LEVEL_DATE,
        edition_name="Danh mục ĐVHC 01/03/2025 (ba cấp)",
        province_code=province_code,
    )
    if not report.ok:
        raise RuntimeError("; ".join(map(str, report.problems)))
    _live_world(province_code)
    # The corrections shipped with the product, as an office would apply them (a no-op for the demo's list).
    for correction_report in corrections.corrections_apply_shipped():
        if not correction_report.ok:
            raise RuntimeError("; ".join(map(str, correction_report.problems)))
    province = Unit.objects.get(edition=report.edition, code=province_code)
    departments = {}
    for code, name, short_name in DEMO_DEPARTMENTS:
        departments[code], _created = Department.objects.update_or_create(
            code=code, province=province, defaults={"name": name, "short_name": short_name, "is_demo": True}
        )
    district = (
        Unit.objects.filter(parent=province, level=UnitLevel.DISTRICT, unit_type="Huyện").order_by("code").first()
    )
    commune = Unit.objects.filter(parent=district, unit_type="Xã").order_by("code").first()

    logins = [_superuser()]
    for username, label, role, unit, department in [
        ("vp_dieuphoi", "Văn phòng Điều phối", Role.OFFICE_EDITOR, province, None),
        ("thamtra_huyen", "Thẩm tra huyện", Role.DISTRICT_REVIEWER, district, None),
        ("thamdinh_so", "Thẩm định sở", Role.DEPARTMENT_APPRAISER, None, departments["so-nnmt"]),
        ("canbo_xa", "Cán bộ xã", Role.COMMUNE_OFFICER, commune, None),
        ("trunguong", "Văn phòng Điều phối Trung ương", Role.NATIONAL_READER, None, None),
    ]:
        user = _demo_user(username, label)
        if not Membership.objects.filter(user=user, role=role, unit=unit, department=department).exists():
            services.membership_create(user=user, role=role, unit=unit, department=department, is_demo=True)
        logins.append(DemoLogin(username, Role(role).label, str(unit or department or "toàn quốc")))
    if province_code == DEMO_PROVINCE:
        logins += _ocop_world(live_province(province_code))
    return logins


def _ocop_world(province: Unit) -> list[DemoLogin]:
    """The live province's illustrative producers and products (registered through the directory's services, by
    the demo's administrator), a login per producer and the council members; safe to run again."""
    from .products import services as product_services  # noqa: PLC0415  (the products app imports this module)
    from .products.models import Producer, Product, ProductGroup  # noqa: PLC0415

    actor = get_user_model().objects.get(username="admin")
    communes = {unit.code: unit for unit in Unit.objects.filter(edition=province.edition, parent=province)}
    groups = {group.code: group for group in ProductGroup.objects.all()}
    logins = []
    for username, commune_code, name, kind, number, products in DEMO_PRODUCERS:
        commune = communes[commune_code]
        producer = Producer.objects.filter(commune=commune, registration_number=number).first()
        if producer is None:
            producer = product_services.producer_register(
                user=actor,
                commune=commune,
                name=name,
                kind=kind,
                registration_number=number,
                address=f"Thôn 1, {commune.name}",
                representative="Người đại diện (dữ liệu mẫu)",
                phone="0900 000 000",
                email=f"{username}@demo.invalid",
                is_demo=True,
            )
        existing = set(Product.objects.filter(producer=producer).values_list("name", flat=True))
        for product_name, group_code in products:
            if product_name not in existing:
                product_services.product_register(
                    producer=producer,
                    user=actor,
                    name=product_name,
                    group=groups[group_code],
                    description=f"{product_name}: sản phẩm minh họa của bản demo, không phải sản phẩm thật.",
                    is_demo=True,
                )
        user = _demo_user(username, f"Chủ thể OCOP {commune.name}")
        if not Membership.objects.filter(user=user, role=Role.PRODUCER, producer=producer).exists():
            services.membership_create(user=user, role=Role.PRODUCER, producer=producer, is_demo=True)
        logins.append(DemoLogin(username, Role.PRODUCER.label, producer.name))
    for index, (username, label, _position) in enumerate(DEMO_COUNCIL_MEMBERS):
        user = _demo_user(username, label)
        if not Membership.objects.filter(user=user, role=Role.COUNCIL_MEMBER, unit=province).exists():
            services.membership_create(user=user, role=Role.COUNCIL_MEMBER, unit=province, is_demo=True)
        role = Role.COUNCIL_MEMBER.label + (" (chủ tịch)" if index == 0 else "")
        logins.append(DemoLogin(username, role, str(province)))
    return logins


def _live_world(province_code: str) -> None:
    """The province in the list in force since 01/07/2025, its communes given illustrative groups from a file."""
    report = services.units_import(
        data=TWO_LEVEL_FILE.read_bytes(),
        filename=TWO_LEVEL_FILE.name,
        edition_date=TWO_LEVEL_DATE,
        edition_name="Danh mục ĐVHC 01/07/2025 (hai cấp)",
        province_code=province_code,
    )
    if not report.ok:
        raise RuntimeError("; ".join(map(str, report.problems)))
    groups = classifying.classification_import(
        classification=Classification.objects.get(code=COMMUNE_GROUP),
        data=DEMO_GROUPS_FILE.read_bytes(),
        filename=DEMO_GROUPS_FILE.name,
        edition=Edition.objects.get(date=TWO_LEVEL_DATE),
    )
    if not groups.ok:
        raise RuntimeError("; ".join(map(str, groups.problems)))


def live_province(province_code: str = DEMO_PROVINCE) -> Unit:
    """The demo province in the list in force (two levels)."""
    return Unit.objects.get(edition__date=TWO_LEVEL_DATE, code=province_code)


def _superuser() -> DemoLogin:
    user = _demo_user("admin", "Quản trị")
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    return DemoLogin("admin", "Quản trị hệ thống", "—")


def _demo_user(username: str, label: str):
    user, created = get_user_model().objects.get_or_create(
        username=username,
        defaults={"first_name": label, "last_name": "(dữ liệu mẫu)", "email": f"{username}@demo.invalid"},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user
