"""Demo accounts of the live world: the two-level Đắk Lắk's office, an appraiser per department and an officer
per commune, created through the people import from a file, as an office would create them.

The file gives no e-mail (nothing is sent); every demo account then gets the demo password and its memberships
the demo flag, so the admin lists mark them *dữ liệu mẫu*.
"""

import csv
from pathlib import Path

from django.db import transaction

from cms.directory import demo as directory_demo
from cms.directory.models import Membership

from . import importing

DEMO_PEOPLE_FILE = Path(__file__).resolve().parent / "data" / "demo_nguoi_dung_66_minh_hoa.csv"
#: Links in the demo's e-mails (none are sent: the file has no addresses) point at the local server.
DEMO_BASE_URL = "http://127.0.0.1:8000"


@transaction.atomic
def load(*, province_code: str = directory_demo.DEMO_PROVINCE) -> importing.PeopleImportReport:
    report = importing.people_import(
        data=DEMO_PEOPLE_FILE.read_bytes(),
        filename=DEMO_PEOPLE_FILE.name,
        province=directory_demo.live_province(province_code),
        base_url=DEMO_BASE_URL,
    )
    if not report.ok:
        raise RuntimeError("; ".join(map(str, report.problems)))
    for account in report.created:
        account.set_password(directory_demo.DEMO_PASSWORD)
        account.save(update_fields=["password"])
    Membership.objects.filter(user__username__in=_usernames(), is_demo=False).update(is_demo=True)
    return report


def _usernames() -> list[str]:
    with DEMO_PEOPLE_FILE.open(encoding="utf-8", newline="") as file:
        return [row["ten_dang_nhap"] for row in csv.DictReader(file)]
