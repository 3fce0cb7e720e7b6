"""The attacker matrix's routes outside Wagtail's admin (:mod:`tests.security.test_attacker_matrix`): the commune's
form (one page, step by step, and the sync of what was typed offline), the reviewers' pages, the API (v1, and
Wagtail's pages API through the project's view) and the media files."""

from django.core.files.uploadedfile import SimpleUploadedFile

from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from criteria_pages.forms import field_key
from submissions.models import Evidence, IndicatorValue
from tests.security.matrix_cells import (
    EVERYONE,
    NATIONAL_READER_EXPORTS,
    NOBODY,
    ONLY_OFFICE,
    ONLY_OFFICER,
    PUBLIC,
    REVIEW_MATRIX,
    Request,
    Route,
    get,
    json_post,
    post,
)
from tests.security.matrix_world import (
    EXPORTED_BY_ATTACKER,
    EXPORTED_BY_COLLEAGUE,
    MEDIA_DOCUMENT,
    MEDIA_IMAGE,
    MEDIA_STORED,
    RECOGNISED,
    RECOGNITION,
    RETURNED,
    SUBMITTED,
    attacker_job,
    colleague_job,
)
from tests.submissions.factories import PDF


def _sub(action=""):
    return lambda w, s: f"/xet-duyet/ho-so/{s.submission_pk}/{action}"


def _api_review(action=""):
    return lambda w, s: f"/api/v1/review/submissions/{s.submission_pk}/{action + '/' if action else ''}"


def _api_sub(action=""):
    return lambda w, s: f"/api/v1/submissions/{s.submission_pk}/{action + '/' if action else ''}"


def _form(action=""):
    return lambda w, s: f"/danh-gia/ho-so/{s.submission_pk}/{action}"


def _neighbour(w, s) -> int:
    """The draft submission of the other commune of the side's district (not the attacking officer's commune)."""
    return Evidence.objects.get(pk=s.draft_evidence_pk).submission_id


def _sync_body(submission_pk):
    """One value typed offline, based on the server's value of that moment (so it is written, not a conflict)."""

    def body(w, s) -> dict:
        pk = submission_pk(w, s)
        base = IndicatorValue.objects.filter(submission_id=pk, code="2.1").values_list("raw", flat=True).first()
        return {"lock_version": 0, "fields": {f"v_{field_key('2.1')}": {"value": "97", "base": base or ""}}}

    return body


def _sync_file(submission_pk, **kwargs) -> Request:
    return Request(
        "POST",
        lambda w, s: f"/danh-gia/ho-so/{submission_pk(w, s)}/dong-bo/tep/",
        lambda w, s: {"field": f"e_{field_key('1.1')}", "file": SimpleUploadedFile("qd-ngoai-tuyen.pdf", PDF)},
        stage=RETURNED,
        multipart=True,
        **kwargs,
    )


def _open_data(fmt: str) -> tuple[Request, ...]:
    """A round whose one submission is recognised but unpublished: the public answer (everyone's, by default)
    shows nothing of it; the office asks for every submission of its province; a draft round is its office's."""
    address = lambda w, s: f"/api/v1/rounds/{s.open_round.pk}/open-data.{fmt}"  # noqa: E731
    return (
        get(address, RECOGNISED),
        get(lambda w, s: address(w, s) + "?basis=all", RECOGNISED, own=ONLY_OFFICE),
        get(lambda w, s: f"/api/v1/rounds/{s.draft_round.pk}/open-data.{fmt}", own=ONLY_OFFICE),
    )


def _media_image(w, s) -> str:
    return f"/media/{get_image_model().objects.get(title=MEDIA_IMAGE).file.name}"


def _media_rendition(w, s) -> str:
    return f"/media/{get_image_model().objects.get(title=MEDIA_IMAGE).renditions.get().file.name}"


def _document_file(w, s) -> str:
    return get_document_model().objects.get(title=MEDIA_DOCUMENT).file.name


NATIONAL_CRITERIA = "the public API lists the live criteria sets of every province and the national library"
PUBLIC_UNITS = "the unit directory is public reference data (anonymous callers read it)"
PUBLIC_PAGES = "Wagtail's pages API serves only the live public pages of the site asked (a province's, by host name)"
PUBLIC_MEDIA = (
    "Wagtail's images are public by design (the public pages of every province show them): everyone reads the "
    "files under images/ and original_images/ of the media storage, and nobody anything else of any storage"
)

SITE_ROUTES = [
    # --- the commune's form ---
    Route(
        "/danh-gia/ho-so/<pk>/",
        (
            get(lambda w, s: f"/danh-gia/ho-so/{s.submission_pk}/", RETURNED),
            post(
                lambda w, s: f"/danh-gia/ho-so/{s.submission_pk}/",
                lambda w, s: {
                    "lock_version": s.lock_version(),
                    "save": "1",
                    "v_1_1": "yes",
                    "v_2_1": "96",
                    "v_2_2": "7",
                    "v_10_1": "50",
                    s.question: "Nguyễn Văn An",
                },
                RETURNED,
            ),
        ),
        REVIEW_MATRIX,
    ),
    Route("/danh-gia/minh-chung/<pk>/", (get(lambda w, s: f"/danh-gia/minh-chung/{s.evidence_pk}/"),), REVIEW_MATRIX),
    Route(
        "/danh-gia/minh-chung/<pk>/xoa/",
        (post(lambda w, s: f"/danh-gia/minh-chung/{s.draft_evidence_pk}/xoa/"),),
        None,
    ),
    # --- the form step by step (submissions.entry.steps), like the form: the commune officer's own submission.
    # Asserted here: the review matrix does not cover these pages.
    Route("/danh-gia/ho-so/<pk>/muc-luc/", (get(_form("muc-luc/"), RETURNED),), ONLY_OFFICER),
    Route(
        "/danh-gia/ho-so/<pk>/tieu-chi/<number>/",
        (
            get(_form("tieu-chi/2/"), RETURNED),
            post(
                _form("tieu-chi/2/"),
                lambda w, s: {"lock_version": s.lock_version(), "v_2_1": "96", "v_2_2": "7", "go": "next"},
                RETURNED,
            ),
        ),
        ONLY_OFFICER,
    ),
    Route(
        "/danh-gia/ho-so/<pk>/kiem-tra/",
        (
            get(_form("kiem-tra/"), RETURNED),
            post(_form("kiem-tra/"), lambda w, s: {"lock_version": s.lock_version()}, RETURNED),
        ),
        ONLY_OFFICER,
    ),
    # --- what was typed offline (submissions.entry.offline): only the commune officer of that commune ---
    Route(
        "/danh-gia/ho-so/<pk>/dong-bo/",
        (
            json_post(_form("dong-bo/"), _sync_body(lambda w, s: s.submission_pk), RETURNED),
            json_post(
                lambda w, s: f"/danh-gia/ho-so/{_neighbour(w, s)}/dong-bo/",
                _sync_body(_neighbour),
                RETURNED,
                own=NOBODY,
            ),
        ),
        ONLY_OFFICER,
    ),
    Route(
        "/danh-gia/ho-so/<pk>/dong-bo/tep/",
        (_sync_file(lambda w, s: s.submission_pk), _sync_file(_neighbour, own=NOBODY)),
        ONLY_OFFICER,
    ),
    # --- the reviewers' pages ---
    Route("/xet-duyet/ho-so/<pk>/", (get(_sub()),), REVIEW_MATRIX),
    Route("/xet-duyet/ho-so/<pk>/lich-su.xlsx", (get(_sub("lich-su.xlsx")),), REVIEW_MATRIX),
    Route(
        "/xet-duyet/ho-so/<pk>/chuyen/",
        (post(_sub("chuyen/"), lambda w, s: {"lock_version": s.lock_version(), "comment": "Đạt"}, SUBMITTED),),
        REVIEW_MATRIX,
    ),
    Route(
        "/xet-duyet/ho-so/<pk>/tra-lai/",
        (
            post(
                _sub("tra-lai/"),
                lambda w, s: {
                    "lock_version": s.lock_version(),
                    "comment": "Bổ sung số liệu",
                    "item_target": ["c:1"],
                    "item_comment": ["Thiếu chữ ký"],
                },
                SUBMITTED,
            ),
        ),
        REVIEW_MATRIX,
    ),
    Route(
        "/xet-duyet/ho-so/<pk>/tham-dinh/",
        (post(_sub("tham-dinh/"), lambda w, s: {"number": 1, "lock_version": s.lock_version()}),),
        REVIEW_MATRIX,
    ),
    Route(
        "/xet-duyet/ho-so/<pk>/dieu-chinh/",
        (post(_sub("dieu-chinh/"), lambda w, s: {"target": "c:1", "verdict": "not_met", "reason": "Chưa duyệt"}),),
        REVIEW_MATRIX,
    ),
    Route(
        "/xet-duyet/ho-so/<pk>/cong-nhan/",
        (
            post(
                _sub("cong-nhan/"),
                lambda w, s: {
                    "lock_version": s.lock_version(),
                    "decision_number": "123/QĐ-UBND",
                    "decision_date": "20/11/2026",
                },
                RECOGNITION,
            ),
        ),
        REVIEW_MATRIX,
    ),
    Route(
        "/xet-duyet/ho-so/<pk>/cong-khai/",
        (post(_sub("cong-khai/"), lambda w, s: {"published": "1"}, RECOGNISED),),
        REVIEW_MATRIX,
    ),
    # --- API v1 ---
    Route(
        "/api/v1/units/<code>/",
        (get(lambda w, s: f"/api/v1/units/{s.commune.code}/"),),
        EVERYONE,
        national=PUBLIC_UNITS,
    ),
    Route(
        "/api/v1/criteria-sets/<pk>/",
        (get(lambda w, s: f"/api/v1/criteria-sets/{w.criteria_set_pk}/"),),
        EVERYONE,
        national=NATIONAL_CRITERIA,
    ),
    Route(
        "/api/v1/rounds/<pk>/",
        (
            get(lambda w, s: f"/api/v1/rounds/{s.draft_round.pk}/"),  # a draft: its office's only
            get(lambda w, s: f"/api/v1/rounds/{s.open_round.pk}/"),  # open rounds are public
        ),
        None,
        other=PUBLIC,
    ),
    Route(
        "/api/v1/rounds/<pk>/summary/",
        (
            get(lambda w, s: f"/api/v1/rounds/{s.open_round.pk}/summary/"),
            get(lambda w, s: f"/api/v1/rounds/{s.open_round.pk}/summary/?basis=all"),
        ),
        None,
        other=PUBLIC,
        # province 67 has a submitted submission and nothing published: an office basis would count it
        public_only=lambda body: body["units_submitted"] == 0 and body["units_recognised"] == 0,
    ),
    Route(
        "/api/v1/rounds/<pk>/results/",
        (
            get(lambda w, s: f"/api/v1/rounds/{s.open_round.pk}/results/"),
            get(lambda w, s: f"/api/v1/rounds/{s.open_round.pk}/results/?basis=all"),
        ),
        None,
        other=PUBLIC,
        public_only=lambda body: body["count"] == 0,  # nothing of province 67 is published
    ),
    Route("/api/v1/submissions/<pk>/", (get(_api_sub()),), None),
    Route(
        "/api/v1/submissions/<pk>/values/",
        (
            Request(
                "PATCH",
                _api_sub("values"),
                lambda w, s: {"lock_version": s.lock_version(), "values": {"2.1": "96"}},
                stage=RETURNED,
                json=True,
            ),
        ),
        None,
    ),
    Route(
        "/api/v1/submissions/<pk>/evidence/",
        (
            Request(
                "POST",
                _api_sub("evidence"),
                lambda w, s: {"indicator_code": "1.1", "file": SimpleUploadedFile("qd.pdf", PDF)},
                stage=RETURNED,
                multipart=True,
            ),
        ),
        None,
    ),
    Route(
        "/api/v1/submissions/<pk>/submit/",
        (json_post(_api_sub("submit"), lambda w, s: {"lock_version": s.lock_version()}, RETURNED),),
        None,
    ),
    Route("/api/v1/review/submissions/<pk>/", (get(_api_review()),), REVIEW_MATRIX),
    Route(
        "/api/v1/review/submissions/<pk>/forward/",
        (
            json_post(
                _api_review("forward"), lambda w, s: {"lock_version": s.lock_version(), "comment": "Đạt"}, SUBMITTED
            ),
        ),
        REVIEW_MATRIX,
    ),
    Route(
        "/api/v1/review/submissions/<pk>/return/",
        (
            json_post(
                _api_review("return"),
                lambda w, s: {
                    "lock_version": s.lock_version(),
                    "comment": "Bổ sung số liệu",
                    "items": [{"criterion_number": 1, "comment": "Thiếu chữ ký"}],
                },
                SUBMITTED,
            ),
        ),
        REVIEW_MATRIX,
    ),
    Route(
        "/api/v1/review/submissions/<pk>/appraise/",
        (json_post(_api_review("appraise"), lambda w, s: {"number": 1, "lock_version": s.lock_version()}),),
        REVIEW_MATRIX,
    ),
    Route(
        "/api/v1/review/submissions/<pk>/override/",
        (
            json_post(
                _api_review("override"), lambda w, s: {"criterion_number": 1, "met": False, "reason": "Chưa duyệt"}
            ),
        ),
        REVIEW_MATRIX,
    ),
    Route(
        "/api/v1/review/submissions/<pk>/recognise/",
        (
            json_post(
                _api_review("recognise"),
                lambda w, s: {
                    "lock_version": s.lock_version(),
                    "decision_number": "123/QĐ-UBND",
                    "decision_date": "20/11/2026",
                },
                RECOGNITION,
            ),
        ),
        REVIEW_MATRIX,
    ),
    Route(
        "/api/v1/review/submissions/<pk>/publish/",
        (json_post(_api_review("publish"), lambda w, s: {"published": True}, RECOGNISED),),
        REVIEW_MATRIX,
    ),
    # --- background exports through the API (submissions.reports.jobs): an office's, of its province ---
    Route(
        "/api/v1/rounds/<pk>/exports/",
        (
            json_post(
                lambda w, s: f"/api/v1/rounds/{s.open_round.pk}/exports/",
                lambda w, s: {"kind": "summary"},
                national_reader_may=NATIONAL_READER_EXPORTS,
            ),
            json_post(
                lambda w, s: f"/api/v1/rounds/{s.open_round.pk}/exports/",
                lambda w, s: {"kind": "departments", "parent": s.district.code},
                national_reader_may=NATIONAL_READER_EXPORTS,
            ),
        ),
        ONLY_OFFICE,
    ),
    *(
        Route(
            f"/api/v1/exports/<pk>/{action}",
            (
                get(lambda w, s, action=action: f"/api/v1/exports/{attacker_job(w, s)}/{action}", EXPORTED_BY_ATTACKER),
                get(
                    lambda w, s, action=action: f"/api/v1/exports/{colleague_job(w, s)}/{action}",
                    EXPORTED_BY_COLLEAGUE,
                    own=NOBODY,
                ),
            ),
            ONLY_OFFICE,
        )
        for action in ("", "download/")
    ),
    # --- open data of a round (CSV, JSON): public, published results only ---
    Route(
        "/api/v1/rounds/<pk>/open-data.csv",
        _open_data("csv"),
        EVERYONE,
        other=PUBLIC,
        public_only=lambda body: len(body.splitlines()) == 1,  # the header, no unit
    ),
    Route(
        "/api/v1/rounds/<pk>/open-data.json",
        _open_data("json"),
        EVERYONE,
        other=PUBLIC,
        # answered with its own generation time: never byte for byte the anonymous answer
        public_only=lambda body: body["basis"] == "published" and body["results"] == [],
    ),
    # --- Wagtail's pages API, through the project's own view class (cms.api) ---
    Route(
        "/api/v2/pages/<pk>/",
        (get(lambda w, s: f"/api/v2/pages/{w.page_pk}/"),),
        EVERYONE,
        national=PUBLIC_PAGES,
    ),
    # --- the media files (cms.media): public by design, images only ---
    Route(
        "/media/<name>",
        (
            get(_media_image, MEDIA_STORED),
            get(_media_rendition, MEDIA_STORED),
            # a document's collection may be private: only Wagtail's serve view, which checks it, sends it
            get(lambda w, s: f"/media/{_document_file(w, s)}", MEDIA_STORED, own=NOBODY),
            get(lambda w, s: f"/media/images/../{_document_file(w, s)}", MEDIA_STORED, own=NOBODY),
            # evidence lies in the private storage, served only through its permission check
            get(lambda w, s: f"/media/{Evidence.objects.get(pk=s.evidence_pk).file.name}", own=NOBODY),
        ),
        EVERYONE,
        national=PUBLIC_MEDIA,
    ),
]
