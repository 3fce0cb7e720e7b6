"""Publishing a set cannot leave things half-done: an empty set is refused and freezes nothing; the criteria's
unpublished changes are listed and published with the set in one action; the message names the differences from
the previous version and links to them; criteria without indicators are a warning, kept on the version for the
round to refuse; a criterion published alone says that the set must be published again. As an office editor."""

import dataclasses
import re

from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from cms.directory.models import Classification, Role
from criteria_pages import services, spec, starter
from criteria_pages.models import CriteriaIndexPage, CriteriaSetPage, CriteriaSetVersion, CriterionPage
from tests.criteria_pages.factories import (
    CriteriaSetPageFactory,
    criterion_form,
    indicator_form,
    round_spec,
    set_form,
)
from tests.factories import DepartmentFactory, member, province

DRAFT = {"action-publish": ""}


@pytest.fixture
def office(client, db):
    client.force_login(member(Role.OFFICE_EDITOR, unit=province(), username="office"))
    return client


@pytest.fixture
def department(db):
    return DepartmentFactory(code="so-xd", name="Sở Xây dựng")


def said(response) -> list[str]:
    return [str(message.message) for message in get_messages(response.wsgi_request)]


def new_set(office, **overrides) -> CriteriaSetPage:
    index = CriteriaIndexPage.objects.get()
    response = office.post(f"/admin/pages/add/criteria_pages/criteriasetpage/{index.pk}/", set_form(**overrides))
    assert response.status_code == 302
    return CriteriaSetPage.objects.get(code="THU_NGHIEM")


def add_criterion(office, set_page, department, number, indicators, **overrides):
    response = office.post(
        f"/admin/pages/add/criteria_pages/criterionpage/{set_page.pk}/",
        criterion_form(number, f"Tiêu chí {number}", department, indicators, **overrides),
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    return CriterionPage.objects.get(number=number)


def publish_set(office, set_page, **overrides):
    return office.post(f"/admin/pages/{set_page.pk}/edit/", set_form(**overrides))


def road(target="100", tn_target="90", **overrides):
    return indicator_form("2.1", "Tỷ lệ đường xã được nhựa hóa", target, tn_target=tn_target, **overrides)


def test_an_empty_set_is_refused_and_freezes_no_version(office):
    set_page = new_set(office)  # "Publish" on a new set: nothing to publish yet
    set_page.refresh_from_db()
    assert not set_page.live
    assert not CriteriaSetVersion.objects.exists()

    response = publish_set(office, set_page)
    assert response.status_code == 302
    assert response["Location"] == f"/admin/pages/{set_page.pk}/edit/"
    assert any("chưa có tiêu chí nào nên không được phát hành" in message for message in said(response))
    assert not CriteriaSetVersion.objects.exists()
    assert set_page.revisions.count() == 2  # what the editor typed is kept as a draft

    editor = office.get(f"/admin/pages/{set_page.pk}/edit/")
    assert "Bộ chưa có tiêu chí nào" in editor.text


def test_the_freeze_service_refuses_an_empty_set(db):
    set_page = CriteriaSetPageFactory()
    with pytest.raises(ValidationError):
        services.criteria_set_freeze(page=set_page)
    assert not set_page.versions.exists()


def test_publishing_the_set_publishes_its_criteria_drafts_and_links_to_the_differences(office, department):
    set_page = new_set(office, **DRAFT)
    criterion = add_criterion(office, set_page, department, 2, [road()], **DRAFT)  # a new criterion, never published
    assert not criterion.live

    editor = office.get(f"/admin/pages/{set_page.pk}/edit/")
    assert "Mới, chưa phát hành: sẽ phát hành cùng bộ" in editor.text

    response = publish_set(office, set_page)
    assert response.status_code == 302
    criterion.refresh_from_db()
    assert criterion.live
    first = CriteriaSetVersion.objects.get(set_page=set_page)
    assert [c.number for c in first.set_spec.criteria] == [2]
    messages = " ".join(said(response))
    assert "Đã phát hành cùng bộ 1 tiêu chí có thay đổi: 2. Tiêu chí 2." in messages
    assert "Đã tạo phiên bản 1" in messages

    # A draft newer than the live criterion is listed, then published with the set: version 2, with its differences.
    indicator_id = criterion.indicators.get().pk
    add_draft = office.post(
        f"/admin/pages/{criterion.pk}/edit/",
        criterion_form(2, "Tiêu chí 2", department, [road(tn_target="95", id=indicator_id)], 1, **DRAFT),
    )
    assert add_draft.status_code == 302
    editor = office.get(f"/admin/pages/{set_page.pk}/edit/")
    assert "Có thay đổi chưa phát hành: sẽ phát hành cùng bộ" in editor.text

    response = publish_set(office, set_page)
    second = CriteriaSetVersion.objects.filter(set_page=set_page).order_by("-number").first()
    assert second.number == 2
    assert second.set_spec.criteria[0].indicators[0].targets == {"TN": "95"}
    messages = " ".join(said(response))
    assert "Đã tạo phiên bản 2 của bộ tiêu chí" in messages
    assert "1 thay đổi so với phiên bản 1 (Tiêu chí 2 › Chỉ tiêu 2.1 (mức theo vùng / nhóm))" in messages
    assert f"/admin/criteria/sets/{set_page.pk}/versions/?from=1&amp;to=2" in messages
    assert not CriterionPage.objects.get(pk=criterion.pk).has_unpublished_changes

    # Publishing again with nothing new says so and freezes nothing.
    response = publish_set(office, set_page)
    assert any("Không có thay đổi so với phiên bản 2" in message for message in said(response))
    assert set_page.versions.count() == 2


def test_criteria_without_indicators_are_a_warning_kept_on_the_version(office, department):
    set_page = new_set(office, **DRAFT)
    add_criterion(office, set_page, department, 2, [road()])
    add_criterion(office, set_page, department, 8, [])
    response = publish_set(office, set_page)
    assert response.status_code == 302
    version = CriteriaSetVersion.objects.get(set_page=set_page)
    assert [criterion.number for criterion in version.criteria_without_indicators] == [8]
    assert [criterion.number for criterion in spec.criteria_without_indicators(version.set_spec)] == [8]
    warning = " ".join(said(response))
    assert "1 tiêu chí chưa có chỉ tiêu (8. Tiêu chí 8)" in warning
    assert "chưa mở được đợt đánh giá với phiên bản này" in warning
    versions = office.get(f"/admin/criteria/sets/{set_page.pk}/versions/").text
    assert "Tiêu chí chưa có chỉ tiêu" in versions
    assert "<td>8</td>" in versions


def test_a_criterion_published_alone_says_the_set_must_be_published_again(office, department):
    set_page = new_set(office, **DRAFT)
    response = office.post(
        f"/admin/pages/add/criteria_pages/criterionpage/{set_page.pk}/",
        criterion_form(2, "Giao thông", department, [road()]),
    )
    assert response.status_code == 302
    assert any("phát hành lại bộ “Bộ tiêu chí xã NTM thử nghiệm”" in message for message in said(response))
    assert not CriteriaSetVersion.objects.exists()


def test_a_set_whose_criteria_name_groups_of_another_classification_is_not_published(office, department):
    set_page = new_set(office, **DRAFT)
    add_criterion(office, set_page, department, 2, [road(tn_target="90")])  # Tây Nguyên: a region
    commune_group = Classification.objects.get(code="commune_group")
    response = publish_set(office, set_page, classification=commune_group.pk)
    assert response.status_code == 200
    assert "Chưa phát hành được bộ tiêu chí" in response.text
    assert "Tiêu chí 2, chỉ tiêu 2.1, mức riêng “Tây Nguyên”: “Tây Nguyên” không thuộc phân loại" in response.text
    assert not CriteriaSetVersion.objects.exists()
    set_page.refresh_from_db()
    assert set_page.classification.code == "region"  # nothing saved
    assert 'value="Bộ tiêu chí xã NTM thử nghiệm"' in response.text  # what the editor typed is kept


def test_importing_a_file_without_criteria_is_refused(db):
    index = CriteriaIndexPage.objects.get()
    data = b'{"format": "ntm-criteria-set/1", "code": "TRONG", "name": "B\\u1ed9 tr\\u1ed1ng", "criteria": []}'
    report = services.criteria_set_import_file(data=data, filename="trong.json", parent=index)
    assert not report.ok
    assert [str(problem) for problem in report.problems] == ["JSON, cột criteria: Bộ tiêu chí chưa có tiêu chí nào."]
    assert not CriteriaSetPage.objects.filter(code="TRONG").exists()


def test_the_set_editor_and_publishing_read_a_fixed_number_of_queries(office, department):
    """19 criteria cost no more queries than 3: the panel, the check before publishing and the freeze read in bulk.
    Both sets carry the illustrative set's three recognition preconditions: the editor reads their department
    choices once for all rows (:func:`criteria_pages.forms.choices_read_once`); publishing saves each row."""
    for code in ("so-nnmt", "so-ct", "so-gddt", "so-yt", "so-vhttdl", "so-khcn", "so-tc", "so-nv", "so-tp"):
        DepartmentFactory(code=code)
    DepartmentFactory(code="ca-tinh")
    DepartmentFactory(code="bchqs-tinh")
    counts = []
    preconditions = starter.illustrative_demo_set().preconditions
    assert len(preconditions) == 3
    small = lambda: dataclasses.replace(round_spec(), preconditions=preconditions)  # noqa: E731
    for spec_of in (small, starter.illustrative_demo_set):
        page, _version = services.criteria_set_import(spec=spec_of(), parent=CriteriaIndexPage.objects.get())
        with CaptureQueriesContext(connection) as editor:
            assert office.get(f"/admin/pages/{page.pk}/edit/").status_code == 200
        form = set_form(title=page.title, slug=page.slug, code=page.code, classification=page.classification.pk)
        with CaptureQueriesContext(connection) as publishing:
            assert office.post(f"/admin/pages/{page.pk}/edit/", form).status_code == 302
        counts.append((len(editor), len(publishing)))
    (small_editor, small_publishing), (big_editor, big_publishing) = counts
    assert big_editor <= small_editor
    assert big_publishing <= small_publishing + 5, counts


def test_the_set_editor_reads_the_department_choices_once_for_all_precondition_rows(office, department):
    """Each precondition row has a department dropdown (and so has the empty row the editor copies): the choices
    are read once per editor, so three rows cost the queries of none."""
    DepartmentFactory(code="so-tc")
    police = DepartmentFactory(code="ca-tinh", name="Công an tỉnh")
    preconditions = starter.illustrative_demo_set().preconditions
    counts = []
    for code, rows in (("KHONG_DK", ()), ("BA_DK", preconditions)):
        spec_ = dataclasses.replace(round_spec(), code=code, name=f"Bộ {code}", preconditions=rows)
        page, _version = services.criteria_set_import(spec=spec_, parent=CriteriaIndexPage.objects.get())
        office.get(f"/admin/pages/{page.pk}/edit/")  # the first view of an editor reads what later ones cache
        with CaptureQueriesContext(connection) as editor:
            response = office.get(f"/admin/pages/{page.pk}/edit/")
        assert response.status_code == 200
        counts.append(len(editor))
    assert counts[1] == counts[0], counts
    # Each row still shows its own department chosen (DK3: the police), from the one list.
    row = re.search(r'<select name="preconditions-2-department".*?</select>', response.text, re.S).group(0)
    assert re.search(rf'<option value="{police.pk}" selected>Công an tỉnh</option>', row), row
