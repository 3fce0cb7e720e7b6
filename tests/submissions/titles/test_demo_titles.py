"""The demo's illustrative titles: imported through the office's import, labelled, shown on the new commune's page
as its predecessor's, and loaded once however often the demo is."""

import io

from django.core.management import call_command

import pytest

from cms.directory.models import Unit
from public_site.titles import commune_titles
from submissions.titles.models import Title, TitleSource


@pytest.mark.django_db
def test_the_demo_gives_a_few_communes_illustrative_titles():
    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())  # safe to run again
    titles = Title.objects.select_related("unit__edition")
    assert titles.count() == 4
    assert all(title.source == TitleSource.IMPORT and title.note.startswith("[Minh họa]") for title in titles)
    assert {title.unit.edition.date.isoformat() for title in titles} == {"2025-03-01"}
    ea_hleo = Unit.objects.get(edition__date="2025-07-01", code="24184")
    shown = commune_titles(ea_hleo)
    assert shown.current == () and [title.decision_number for title in shown.predecessors] == ["2891/QĐ-UBND"]
