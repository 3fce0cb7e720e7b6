"""Demo public site: the default site's home page set to the demo province (its office editors edit it), a
page for each of its communes, and the OCOP catalogue ("Sản phẩm OCOP") with a page per product whose
recognition the demo published.

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
    home = services.province_site_ensure(
        province=province, hostname=site.hostname if site else DEMO_HOSTNAME, default=True
    )
    _catalogue(home, units)
    return list(CommunePage.objects.filter(unit__in=units).exclude(pk__in=before))


def _catalogue(home, units) -> None:
    """The province's OCOP catalogue index, and the pages of its products with a public certificate (those the
    OCOP demo published before the home page had its province)."""
    ensure = getattr(services, "catalogue_index_ensure", None)
    if ensure is None:  # the catalogue is not installed
        return
    ensure(home)
    services.product_pages_sync(unit_ids=list(units.values_list("pk", flat=True)))
