"""The whole flow over HTTP only: after the users are set up, nothing is written to the database directly.

An office editor builds and publishes a set and opens a round for three communes; commune officers
submit; a district returns one with comments, it is fixed and resubmitted; two departments appraise
their criteria; the office recognises; the results are as computed.
"""

from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

import pytest

from cms.directory.models import Department, Role
from criteria_pages.models import CriteriaIndexPage, CriteriaSetPage, CriterionPage, EvaluationFormPage
from submissions.models import Round, Submission
from tests.criteria_pages.factories import criterion_form, indicator_form, set_form
from tests.factories import member


def indicator(code, name, value_type, target, tn_target=None):
    return indicator_form(
        code,
        name,
        target,
        tn_target=tn_target,
        value_type=value_type,
        unit="",
        evidence_required="",
        evidence_min_files="0",
        evidence_description="",
    )


@pytest.fixture
def people(area):
    construction = Department.objects.get(code="so-xd")
    agriculture = Department.objects.get(code="so-nnmt")
    return {
        **area,
        "buon_don_reviewer": member(Role.DISTRICT_REVIEWER, unit=area["districts"]["buon_don"], username="buon_don"),
        "construction": member(Role.DEPARTMENT_APPRAISER, department=construction, username="so_xd"),
        "agriculture": member(Role.DEPARTMENT_APPRAISER, department=agriculture, username="so_nnmt"),
        "construction_department": construction,
        "agriculture_department": agriculture,
    }


def as_user(client, user):
    client.force_login(user)
    return client


def ok(response, expected=302):
    assert response.status_code == expected, getattr(response, "context", None) and response.context.get("form")
    return response


def test_the_whole_review_flow_over_http(client, people):
    # 1. The office builds the set in the admin and publishes it.
    office = as_user(client, people["office"])
    index = CriteriaIndexPage.objects.get()
    ok(office.post(f"/admin/pages/add/criteria_pages/criteriasetpage/{index.pk}/", set_form(code="E2E", slug="e2e")))
    set_page = CriteriaSetPage.objects.get(code="E2E")
    criteria = [
        (1, "Quy hoạch", people["construction_department"], [indicator("1.1", "Có quy hoạch", "boolean", "có")]),
        (2, "Giao thông", people["construction_department"], [indicator("2.1", "Đường xã", "percentage", "100", "90")]),
        (10, "Thu nhập", people["agriculture_department"], [indicator("10.1", "Thu nhập", "number", "48")]),
    ]
    for number, title, department, indicators in criteria:
        ok(
            office.post(
                f"/admin/pages/add/criteria_pages/criterionpage/{set_page.pk}/",
                criterion_form(number, title, department, indicators),
            )
        )
    ok(office.post(f"/admin/pages/{set_page.pk}/edit/", set_form(code="E2E", slug="e2e")))
    version = set_page.versions.order_by("-number").first()
    assert [criterion.number for criterion in version.set_spec.criteria] == [1, 2, 10]
    ok(
        office.post(
            f"/admin/pages/add/criteria_pages/evaluationformpage/{index.pk}/",
            nested_form_data(
                {
                    "title": "Biểu mẫu E2E",
                    "slug": "bieu-mau-e2e",
                    "criteria_set": set_page.pk,
                    "instructions": rich_text(""),
                    "sections": streamfield([]),
                    "action-publish": "publish",
                }
            ),
        )
    )
    form_page = EvaluationFormPage.objects.get(slug="bieu-mau-e2e")

    # 2. … and opens a round for the three rural communes of the province.
    ok(
        office.post(
            "/admin/submissions/round/create/",
            {
                "name": "Đánh giá E2E",
                "kind": "yearly",
                "period_start": "01/01/2026",
                "period_end": "31/12/2026",
                "criteria_version": version.pk,
                "form_page": form_page.pk,
                "scope_root": people["province"].pk,
                "scope_unit_types": "Xã",
                "opens_on": "01/11/2026",
                "due_on": "15/12/2026",
                "prefill_from": "",
            },
        )
    )
    round_ = Round.objects.get(name="Đánh giá E2E")
    ok(office.post(f"/admin/submissions/round/{round_.pk}/open/"))
    submissions = {s.unit.name: s for s in Submission.objects.filter(round=round_).select_related("unit")}
    assert sorted(submissions) == ["Xã Ea Kly", "Xã Ea Wer", "Xã Hòa Thuận"]

    # 3. Commune officers fill and submit.
    entries = {
        "hoa_thuan": ("Xã Hòa Thuận", {"v_1_1": "yes", "v_2_1": "95", "v_10_1": "52"}),
        "ea_kly": ("Xã Ea Kly", {"v_1_1": "yes", "v_2_1": "85", "v_10_1": "50"}),
        "ea_wer": ("Xã Ea Wer", {"v_1_1": "yes", "v_2_1": "92", "v_10_1": "40"}),
    }
    for key, (name, values) in entries.items():
        officer = as_user(client, people["officers"][key])
        pk = submissions[name].pk
        page = officer.get(f"/danh-gia/ho-so/{pk}/")
        version_token = page.context["form"]["lock_version"].value()
        ok(officer.post(f"/danh-gia/ho-so/{pk}/", {"lock_version": version_token, "submit": "1", **values}))

    # 4. The district returns Ea Kly with a comment on 2.1 and forwards Hòa Thuận; Buôn Đôn forwards Ea Wer.
    reviewer = as_user(client, people["reviewer"])
    queue = reviewer.get("/xet-duyet/")
    assert sorted(row["submission"].unit.name for row in queue.context["rows"]) == ["Xã Ea Kly", "Xã Hòa Thuận"]
    ea_kly = submissions["Xã Ea Kly"].pk
    detail = reviewer.get(f"/xet-duyet/ho-so/{ea_kly}/")
    ok(
        reviewer.post(
            f"/xet-duyet/ho-so/{ea_kly}/tra-lai/",
            {
                "lock_version": detail.context["submission"].lock_version,
                "comment": "",
                "item_target": ["i:2.1"],
                "item_comment": ["Tỷ lệ đường xã 85% chưa khớp báo cáo của huyện"],
            },
        )
    )
    hoa_thuan = submissions["Xã Hòa Thuận"].pk
    detail = reviewer.get(f"/xet-duyet/ho-so/{hoa_thuan}/")
    ok(
        reviewer.post(
            f"/xet-duyet/ho-so/{hoa_thuan}/chuyen/", {"lock_version": detail.context["submission"].lock_version}
        )
    )
    buon_don = as_user(client, people["buon_don_reviewer"])
    ea_wer = submissions["Xã Ea Wer"].pk
    detail = buon_don.get(f"/xet-duyet/ho-so/{ea_wer}/")
    ok(buon_don.post(f"/xet-duyet/ho-so/{ea_wer}/chuyen/", {"lock_version": detail.context["submission"].lock_version}))

    # 5. Ea Kly sees the comment, fixes the value and resubmits; it comes back to the district.
    officer = as_user(client, people["officers"]["ea_kly"])
    page = officer.get(f"/danh-gia/ho-so/{ea_kly}/")
    assert "Tỷ lệ đường xã 85% chưa khớp báo cáo của huyện" in page.text
    ok(
        officer.post(
            f"/danh-gia/ho-so/{ea_kly}/",
            {
                "lock_version": page.context["form"]["lock_version"].value(),
                "submit": "1",
                "v_1_1": "yes",
                "v_2_1": "91",
                "v_10_1": "50",
            },
        )
    )
    reviewer = as_user(client, people["reviewer"])
    detail = reviewer.get(f"/xet-duyet/ho-so/{ea_kly}/")
    assert detail.context["can_forward"]
    ok(reviewer.post(f"/xet-duyet/ho-so/{ea_kly}/chuyen/", {"lock_version": detail.context["submission"].lock_version}))

    # 6. Two departments appraise their criteria, in parallel, several communes at once.
    construction = as_user(client, people["construction"])
    queue = construction.get("/xet-duyet/")
    assert sorted({row["appraisal"].number for row in queue.context["rows"]}) == [1, 2]
    for number in (1, 2):
        ok(
            construction.post(
                "/xet-duyet/tham-dinh-nhieu/", {"number": str(number), "submission": [hoa_thuan, ea_kly, ea_wer]}
            )
        )
    agriculture = as_user(client, people["agriculture"])
    ok(agriculture.post("/xet-duyet/tham-dinh-nhieu/", {"number": "10", "submission": [hoa_thuan, ea_kly, ea_wer]}))

    # 7. The office recognises each result.
    office = as_user(client, people["office"])
    queue = office.get("/xet-duyet/")
    assert sorted(row["submission"].unit.name for row in queue.context["rows"]) == sorted(submissions)
    for pk in (hoa_thuan, ea_kly, ea_wer):
        detail = office.get(f"/xet-duyet/ho-so/{pk}/")
        ok(
            office.post(
                f"/xet-duyet/ho-so/{pk}/cong-nhan/",
                {
                    "lock_version": detail.context["submission"].lock_version,
                    "decision_number": f"{pk}/QĐ-UBND",
                    "decision_date": "20/12/2026",
                },
            )
        )

    # 8. The results are as computed from the values and the Tây Nguyên targets.
    results = {}
    for pk in (hoa_thuan, ea_kly, ea_wer):
        body = office.get(f"/api/v1/submissions/{pk}/").json()
        results[body["unit"]["name"]] = (
            body["status"],
            body["criteria_met"],
            body["standard_reached"],
            {criterion["number"]: criterion["met"] for criterion in body["criteria"]},
        )
    assert results == {
        "Xã Hòa Thuận": ("recognised", 3, True, {1: True, 2: True, 10: True}),
        "Xã Ea Kly": ("recognised", 3, True, {1: True, 2: True, 10: True}),
        "Xã Ea Wer": ("recognised", 2, False, {1: True, 2: True, 10: False}),
    }
    assert CriterionPage.objects.child_of(set_page).count() == 3
