"""Demo public site: the default site's home page set to the demo province (its office editors edit it) and a
page for each of its communes.

Nothing is published here: the public figures come only from results recognised and published
through the review flow.
"""

from django.db import transaction

from wagtail.models import Site

from cms.directory.models import Unit, UnitLevel

from . import services
from .models import CommunePage

DEMO_PROVINCE = "66"  # Đắk Lắk
DEMO_HOSTNAME = "localhost"


@transaction.atomic
def load(*, province_code: str = DEMO_PROVINCE) -> list[CommunePage]:
    """Returns the commune pages created now (none when run again)."""
    province = Unit.objects.filter(code=province_code, level=UnitLevel.PROVINCE).order_by("-edition__date").first()
    if province is None:
        return []
    units = Unit.objects.filter(edition_id=province.edition_id, level=UnitLevel.COMMUNE, path__startswith=province.path)
    before = set(CommunePage.objects.filter(unit__in=units).values_list("pk", flat=True))
    site = Site.objects.filter(is_default_site=True).first()
    services.province_site_ensure(province=province, hostname=site.hostname if site else DEMO_HOSTNAME, default=True)
    return list(CommunePage.objects.filter(unit__in=units).exclude(pk__in=before))
