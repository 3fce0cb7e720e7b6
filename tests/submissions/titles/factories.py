"""Titles written straight to their table (the services are tested on their own)."""

import datetime

import factory

from criteria_pages.spec import TitleKind
from submissions.titles.models import Title, TitleSource
from tests.factories import UnitFactory


class TitleFactory(factory.django.DjangoModelFactory):
    """A current "xã NTM" title held since 20/12/2019 (imported, as titles held before the product)."""

    class Meta:
        model = Title

    unit = factory.SubFactory(UnitFactory)
    kind = TitleKind.XA_NTM
    source = TitleSource.IMPORT
    decision_number = factory.Sequence(lambda n: f"{n + 100}/QĐ-UBND")
    decision_date = datetime.date(2019, 12, 20)
