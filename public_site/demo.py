"""Demo public site: the home page set to the demo province and a page for each of its communes.

Nothing is published here: the public figures come only from results recognised and published
through the review flow.
"""

from django.db import transaction

from cms.directory.models import Unit, UnitLevel

from . import services
from .models import CommunePage, HomePage

DEMO_PROVINCE = "66"  # Đắk Lắk


@transaction.atomic
def load(*, province_code: str = DEMO_PROVINCE) -> list[CommunePage]:
    """Returns the commune pages created now (none when run again)."""
    province = Unit.objects.filter(code=province_code, level=UnitLevel.PROVINCE).order_by("-edition__date").first()
    if province is None:
        return []
    home = HomePage.objects.first()
    if home is not None and home.province_id is None:
        home.province = province
        home.save_revision().publish()
    units = Unit.objects.filter(edition_id=province.edition_id, level=UnitLevel.COMMUNE, path__startswith=province.path)
    return services.commune_pages_ensure(units=units)
