"""Nobody acts outside their own province: the three holes an attacker with a valid account found.

A second province (67, Đắk Nông) sits beside the shared fixture's Đắk Lắk (66), with its own office editor and
its own construction department, code ``so-xd`` — the code the criteria set names for criterion 1, as every
province's construction department is named.
"""

import pytest

from cms.directory.models import Department, Membership, Role
from submissions.models import AppraisalStatus, CriterionAppraisal, Evidence, RoundStatus, Submission, SubmissionStatus
from submissions.review import flow as review
from tests.factories import commune, member, province
from tests.submissions.factories import fill_and_submit


@pytest.fixture
def other_province(area):
    dak_nong = province(code="67", name="Tỉnh Đắk Nông")
    gia_nghia = commune(dak_nong, "24611", "Xã Đắk Nia")
    # The shared fixture's so-xd becomes Đắk Nông's; Đắk Lắk's own departments are added by the tests that need them.
    construction = Department.objects.get(code="so-xd")
    construction.name, construction.province = "Sở Xây dựng Đắk Nông", dak_nong
    construction.save()
    Department.objects.filter(code="so-nnmt").update(province=area["province"])
    return {
        "province": dak_nong,
        "commune": gia_nghia,
        "office": member(Role.OFFICE_EDITOR, unit=dak_nong, username="vanphong_67"),
        "officer": member(Role.COMMUNE_OFFICER, unit=gia_nghia, username="canbo_67"),
        "appraiser": member(Role.DEPARTMENT_APPRAISER, department=construction, username="so_xd_67"),
    }


def refused(response) -> bool:
    """Not found, forbidden, or Wagtail's answer to a denied admin page: back to the admin's home."""
    return response.status_code in (403, 404) or (response.status_code == 302 and response.url == "/admin/")


# --- rounds: an office editor closes or reopens only its own province's rounds ----------------------------


def test_office_editor_cannot_close_another_provinces_round(open_round, other_province, client):
    client.force_login(other_province["office"])
    assert refused(client.post(f"/admin/submissions/round/{open_round.pk}/close/"))
    open_round.refresh_from_db()
    assert open_round.status == RoundStatus.OPEN


def test_office_editor_cannot_reopen_another_provinces_round(open_round, area, other_province, client):
    client.force_login(area["office"])
    assert client.post(f"/admin/submissions/round/{open_round.pk}/close/").status_code == 302
    client.force_login(other_province["office"])
    assert refused(client.post(f"/admin/submissions/round/{open_round.pk}/reopen/", {"reason": "tấn công"}))
    open_round.refresh_from_db()
    assert open_round.status == RoundStatus.CLOSED


def test_office_editor_still_closes_its_own_round(open_round, area, other_province, client):
    client.force_login(area["office"])
    assert client.post(f"/admin/submissions/round/{open_round.pk}/close/").status_code == 302
    open_round.refresh_from_db()
    assert open_round.status == RoundStatus.CLOSED


# --- memberships: the id-based edit and delete pages check the province too ---------------------------------


def test_office_editor_cannot_open_or_delete_another_provinces_membership(area, other_province, client):
    membership = Membership.objects.get(user=area["officers"]["hoa_thuan"])
    client.force_login(other_province["office"])
    assert refused(client.get(f"/admin/directory/membership/edit/{membership.pk}/"))
    assert refused(client.get(f"/admin/directory/membership/delete/{membership.pk}/"))
    assert refused(client.post(f"/admin/directory/membership/delete/{membership.pk}/"))
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_office_editor_still_opens_its_own_provinces_membership(area, other_province, client):
    membership = Membership.objects.get(user=area["officers"]["hoa_thuan"])
    client.force_login(area["office"])
    assert client.get(f"/admin/directory/membership/edit/{membership.pk}/").status_code == 200


# --- appraisals: a department appraises only the submissions of its own province ---------------------------


@pytest.fixture
def submitted(area, published_set, open_round):
    question = "q_" + published_set["form_page"].sections[0].value["questions"][0].id
    submission = Submission.objects.get(round=open_round, unit=area["communes"]["hoa_thuan"])
    return fill_and_submit(submission, area["officers"]["hoa_thuan"], question)


def forward(submission, area):
    review.review_forward(submission=submission, user=area["reviewer"])
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.APPRAISAL
    return submission


@pytest.fixture
def in_appraisal(area, other_province, submitted):
    """Hòa Thuận's submission, forwarded by its district, while only Đắk Nông has a department coded so-xd."""
    return forward(submitted, area)


@pytest.fixture
def own_construction(area, other_province):
    """Đắk Lắk's own construction department, with the same code as Đắk Nông's."""
    return Department.objects.create(code="so-xd", name="Sở Xây dựng Đắk Lắk", province=area["province"])


def test_appraisals_route_to_the_department_of_the_submissions_province(own_construction, submitted, area):
    submission = forward(submitted, area)
    appraisal = CriterionAppraisal.objects.get(submission=submission, number=1)
    assert appraisal.department == own_construction


def test_another_provinces_appraiser_cannot_read_or_act(in_appraisal, other_province, client):
    client.force_login(other_province["appraiser"])
    evidence = Evidence.objects.filter(submission=in_appraisal).first()
    assert client.get(f"/xet-duyet/ho-so/{in_appraisal.pk}/").status_code == 404
    assert client.get(f"/xet-duyet/ho-so/{in_appraisal.pk}/lich-su.xlsx").status_code == 404
    assert client.get(f"/danh-gia/minh-chung/{evidence.pk}/").status_code == 404
    assert client.get(f"/api/v1/review/submissions/{in_appraisal.pk}/").status_code == 404
    assert client.get(f"/api/v1/submissions/{in_appraisal.pk}/").status_code == 404
    client.post(f"/xet-duyet/ho-so/{in_appraisal.pk}/tham-dinh/", {"number": 1})
    client.post("/api/v1/review/appraise-many/", {"number": 1, "submissions": [in_appraisal.pk]}, "application/json")
    client.post(
        f"/api/v1/review/submissions/{in_appraisal.pk}/override/",
        {"criterion_number": 1, "met": False, "reason": "tấn công"},
        "application/json",
    )
    appraisal = CriterionAppraisal.objects.get(submission=in_appraisal, number=1)
    assert appraisal.status == AppraisalStatus.PENDING
    assert Submission.objects.get(pk=in_appraisal.pk).criterion_results.get(number=1).override_met is None
    queue = client.get("/xet-duyet/")
    assert in_appraisal.unit.name not in queue.text


def test_own_provinces_appraiser_still_appraises(own_construction, submitted, area, client):
    submission = forward(submitted, area)
    appraiser = member(Role.DEPARTMENT_APPRAISER, department=own_construction, username="so_xd_66")
    client.force_login(appraiser)
    assert client.get(f"/xet-duyet/ho-so/{submission.pk}/").status_code == 200
    client.post(f"/xet-duyet/ho-so/{submission.pk}/tham-dinh/", {"number": 1})
    assert CriterionAppraisal.objects.get(submission=submission, number=1).status == AppraisalStatus.APPROVED
