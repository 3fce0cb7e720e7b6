"""Nothing unpublished is ever shown: not on a public page, not in the public API (as an anonymous caller).

One commune has a recognised AND published result; the others have every other kind of data, each marked
with a string that must appear nowhere: drafts, submissions at each review stage (even flagged published),
a returned one with comments, a recognised but unpublished result, evidence files, values and notes, a draft
round, a commune page never published and a live page's unpublished draft.
"""

import datetime

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.urls import Resolver404, resolve
from django.utils import timezone

import pytest

from cms.api import api_not_found
from criteria_pages.models import CriteriaIndexPage, CriteriaSetPage
from public_site import services
from public_site.models import CommunePage
from submissions.consultation import services as consultation_services
from submissions.consultation.models import Consultation
from submissions.models import Evidence, IndicatorValue, ReturnedItem, RoundStatus, Submission, SubmissionStatus
from tests.factories import commune, shared_layer
from tests.submissions.factories import RoundFactory, result

SECRET = "BIMAT"
#: (key, status, published flag): every state but "recognised and published".
UNPUBLISHED = [
    ("draft", SubmissionStatus.DRAFT, True),
    ("submitted", SubmissionStatus.SUBMITTED, True),
    ("appraisal", SubmissionStatus.APPRAISAL, True),
    ("recognition", SubmissionStatus.RECOGNITION, True),
    ("returned", SubmissionStatus.RETURNED, True),
    ("unpublished", SubmissionStatus.RECOGNISED, False),
]
ALL_MET = {1: True, 2: True, 10: True}


@shared_layer
def world(site, published_set):
    """One published result and every kind of unpublished data, built once for the module."""
    version = published_set["version"]
    round_ = RoundFactory(year=2026, criteria_version=version)
    krong_pac = site["districts"]["krong_pac"]
    shown = result(
        round_, site["communes"]["ea_kly"], {1: True, 2: False, 10: False}, decision_number="11/QĐ-CONG-KHAI"
    )
    hidden = {}
    for index, (key, status, published) in enumerate(UNPUBLISHED):
        unit = commune(krong_pac, f"2450{index}", f"Xã Kiểm Tra {key.title()}")
        submission = result(
            round_,
            unit,
            ALL_MET,
            status=status,
            published=published,
            decision_number=f"{SECRET}-QD-{key}",
            criteria_met=7,
            criteria_applicable=9,
        )
        IndicatorValue.objects.create(
            submission=submission, code="1.1", criterion_number=1, raw=f"{SECRET}-GIA-TRI", note=f"{SECRET}-GHI-CHU"
        )
        Evidence.objects.create(
            submission=submission,
            indicator_code="1.1",
            file=ContentFile(b"%PDF-1.4\n", name="x.pdf"),
            original_name=f"{SECRET}-minh-chung.pdf",
            content_type="application/pdf",
            size=9,
            sha256="0" * 64,
        )
        hidden[key] = submission
    ReturnedItem.objects.create(
        submission=hidden["returned"], stage=SubmissionStatus.APPRAISAL, criterion_number=2, comment=f"{SECRET} trả lại"
    )
    # a round still being prepared, with a published-looking result in it
    draft_round = RoundFactory(year=2027, name=f"{SECRET} đợt nháp", status=RoundStatus.DRAFT, criteria_version=version)
    result(
        draft_round, site["communes"]["ea_wer"], ALL_MET, decision_number=f"{SECRET}-QD-draft-round", published=False
    )
    # commune pages for the new units; one of them never published, one live page with an unpublished draft
    unlisted = commune(krong_pac, "24599", "Xã Chưa Đăng Trang")
    services.commune_pages_ensure(units=[s.unit for s in hidden.values()] + [unlisted])
    never = CommunePage.objects.get(unit=unlisted)
    never.title = f"{SECRET} trang nháp"
    never.save_revision()
    never.unpublish()
    live = site["pages"]["hoa_thuan"]
    live.body = [("text", f"<p>{SECRET} nội dung nháp</p>")]
    live.save_revision()  # saved, never published
    # a criteria set page never published
    CriteriaIndexPage.objects.get().add_child(
        instance=CriteriaSetPage(title=f"{SECRET} bộ tiêu chí nháp", code="bimat", live=False)
    )
    return {"round": round_, "draft_round": draft_round, "shown": shown, "hidden": hidden, "never": never}


def public_pages(world):
    urls = ["/", "/xa/", "/tieu-chi/", "/tim-kiem/?q=kiem+tra", "/tim-kiem/?q=bimat", "/sitemap.xml"]
    urls += [f"/tieu-chi/{number}/" for number in ALL_MET]
    urls += [page.url for page in CommunePage.objects.live()]
    return urls


def api_urls(world):
    urls = ["/api/v1/units/?edition=2025-03-01", "/api/v1/criteria-sets/", "/api/v1/rounds/", "/api/v2/pages/"]
    urls.append(f"/api/v1/rounds/{world['round'].pk}/")
    for round_ in (world["round"], world["draft_round"]):
        for tail in ("summary/", "results/"):
            url = f"/api/v1/rounds/{round_.pk}/{tail}"
            if _route_exists(url):
                urls.append(url)
    return urls


def _route_exists(url: str) -> bool:
    try:
        return resolve(url.split("?", maxsplit=1)[0]).func is not api_not_found
    except Resolver404:
        return False


def test_public_pages_show_only_the_published_result(client, world):
    for url in public_pages(world):
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.text
        assert SECRET not in text, url
        assert "7/9" not in text, url
        assert "/danh-gia/minh-chung/" not in text, url
        assert "minh-chung" not in text, url
    commune_page = client.get("/xa/xa-ea-kly/").text
    assert "11/QĐ-CONG-KHAI" in commune_page  # the published result is there
    home = client.get("/").text
    assert "xã đạt chuẩn, trên 1 xã có kết quả công bố" in home


def test_the_unpublished_results_are_on_no_criterion_page(client, world):
    page = client.get("/tieu-chi/1/").text
    meeting = page.split('id="xa-chua-dat"')[0]
    assert "Xã Ea Kly" in meeting
    assert "Kiểm Tra" not in page
    assert "1/1 xã" in page


@pytest.mark.parametrize("key", [key for key, _status, _published in UNPUBLISHED])
def test_each_commune_with_only_unpublished_data_shows_no_result(client, world, key):
    unit = world["hidden"][key].unit
    text = client.get(CommunePage.objects.get(unit=unit).url).text
    assert "Chưa có kết quả đánh giá nào của xã được công nhận và công bố." in text
    assert "Đạt chuẩn" not in text


def test_search_shows_unpublished_communes_without_results(client, world):
    text = client.get("/tim-kiem/?q=kiem tra").text
    assert "Xã Kiểm Tra Submitted" in text
    assert "Chưa có kết quả công bố" in text
    assert "Đạt 3/3" not in text and "Đạt chuẩn" not in text
    assert "Xã Kiểm Tra Draft" in text


def test_a_commune_page_never_published_is_nowhere(client, world):
    assert client.get(f"/xa/{world['never'].slug}/").status_code == 404
    for url in ("/xa/", "/tim-kiem/?q=chua+dang", "/sitemap.xml"):
        assert "Chưa Đăng Trang" not in client.get(url).text
        assert world["never"].slug not in client.get(url).text


def test_public_api_shows_nothing_unpublished(client, world):
    urls = api_urls(world)
    assert any(url.endswith("/summary/") for url in urls) == _route_exists("/api/v1/rounds/1/summary/")
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        text = response.content.decode()
        assert SECRET not in text, url
        assert "minh-chung" not in text, url
    rounds = client.get("/api/v1/rounds/").json()
    assert world["draft_round"].pk not in [row["id"] for row in rounds["results"]]
    results_url = f"/api/v1/rounds/{world['round'].pk}/results/"
    if _route_exists(results_url):
        body = client.get(results_url).json()
        codes = {row["unit_code"] for row in body.get("results", body)}
        assert codes == {world["shown"].unit.code}


def test_private_files_have_no_public_url(client, world):
    evidence = Evidence.objects.filter(submission=world["hidden"]["unpublished"]).get()
    assert client.get(f"/danh-gia/minh-chung/{evidence.pk}/").status_code in (302, 403, 404)


# --- the one exception: a public consultation before recognition (submissions.consultation) ------------------------


def test_a_consultation_shows_only_the_appraised_verdicts_and_nothing_before_it_opens(client, world, site):
    """Before the office's consultation opens nothing of the submission is public; from its first day (and after it)
    its commune page and the consultations API show the appraised verdict per criterion, marked "chưa công nhận" —
    never the values (unless the office ticks them), the decision, the notes or the evidence — and the submission
    still counts in no published figure. A submission sent back to its commune disappears again."""
    submission = world["hidden"]["recognition"]
    page_url = CommunePage.objects.get(unit=submission.unit).url
    today = timezone.localdate()
    consultation = consultation_services.consultation_open(
        submission=submission,
        user=site["office"],
        opens_on=today + datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=30),
    )
    before = client.get(page_url).text
    assert "lấy ý kiến" not in before.lower() and "Quy hoạch" not in before
    assert client.get("/api/v1/consultations/").json()["count"] == 0

    Consultation.objects.filter(pk=consultation.pk).update(opens_on=today)
    cache.clear()
    during = client.get(page_url).text
    assert "Đang lấy ý kiến — chưa công nhận" in during and "Quy hoạch" in during
    assert "Chưa có kết quả đánh giá nào của xã được công nhận và công bố." in during
    api = client.get("/api/v1/consultations/")
    assert [row["unit"]["code"] for row in api.json()["results"]] == [submission.unit.code]
    for url in [*public_pages(world), "/api/v1/consultations/", f"/api/v1/consultations/{consultation.pk}/"]:
        text = client.get(url).content.decode()
        assert SECRET not in text, url
        assert "minh-chung" not in text, url
    assert "1/1 xã" in client.get("/tieu-chi/1/").text  # still counted nowhere

    Submission.objects.filter(pk=submission.pk).update(status=SubmissionStatus.RETURNED)
    cache.clear()
    assert "Quy hoạch" not in client.get(page_url).text
    assert client.get("/api/v1/consultations/").json()["count"] == 0
