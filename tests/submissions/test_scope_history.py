"""A scope covers its subtree in its edition and, read-only for history, the units of earlier editions its units
were formed from: an office of the two-tier list reads the results its communes had before the 2025 reform,
and acts on none of them."""

import datetime

import pytest

from cms.directory.models import Role, SuccessionKind, UnitSuccession
from submissions import access
from submissions.models import SubmissionStatus
from tests.factories import EditionFactory, UnitFactory, commune, member, province
from tests.submissions.factories import SubmissionFactory


@pytest.fixture
def reform(db):
    """Đắk Lắk in the three-tier list (with Xã Ea Kly) and in the two-tier list, where Xã Ea Kly was merged
    into Xã Krông Pắc; and Xã Cư Jút of Đắk Nông, which Đắk Lắk's new commune was not formed from."""
    old_province = province()
    old_commune = commune(old_province, "24401", "Xã Ea Kly")
    stranger = commune(province(code="67", name="Tỉnh Đắk Nông"), "24600", "Xã Cư Jút")
    new_edition = EditionFactory(date=datetime.date(2025, 7, 1), tiers=2)
    new_province = UnitFactory(edition=new_edition, code="66", name="Tỉnh Đắk Lắk", unit_type="Tỉnh", level="province")
    new_commune = commune(new_province, "24389", "Xã Krông Pắc")
    UnitSuccession.objects.create(successor=new_commune, predecessor=old_commune, kind=SuccessionKind.FULL)
    history = SubmissionFactory(unit=old_commune, met={1: True})
    other = SubmissionFactory(round=history.round, unit=stranger, met={1: True})
    return {
        "history": history,
        "other": other,
        "office": member(Role.OFFICE_EDITOR, unit=new_province, username="vanphong_moi"),
        "officer": member(Role.COMMUNE_OFFICER, unit=new_commune, username="canbo_moi"),
    }


def test_the_new_communes_people_read_the_results_it_had_before_the_reform(reform):
    for user in (reform["office"], reform["officer"]):
        readable = access.submissions_visible_to(user)
        assert readable.filter(pk=reform["history"].pk).exists()
        assert not readable.filter(pk=reform["other"].pk).exists()


def test_history_is_read_only(reform):
    submission = reform["history"]
    submission.status = SubmissionStatus.RECOGNITION
    submission.save(update_fields=["status"])
    assert not access.reviewable_submissions(reform["office"]).filter(pk=submission.pk).exists()
    assert not access.submissions_of_commune_officer(reform["officer"]).filter(pk=submission.pk).exists()
    assert not access.is_office_for(reform["office"], submission)
