"""Browser tests: Playwright driving Debian's chromium against pytest-django's live server.

Run alone with ``pytest -m e2e``. The accessibility checks need axe-core, installed outside git with
``npm install --prefix .venv/axe axe-core@4`` (or point AXE_CORE_PATH at axe.min.js); without it they fail.
"""

import datetime
import os
from pathlib import Path

from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections

import pytest
from playwright.sync_api import sync_playwright

from cms.directory.models import ClassificationValue, Department, Role, UnitClassification
from criteria_pages import services as criteria_services
from criteria_pages.models import CriteriaIndexPage, EvaluationFormPage
from public_site import services as public_services
from public_site.models import HomePage
from submissions.entry import services as submission_services
from submissions.models import Round, RoundKind, Submission
from submissions.review import flow as review
from submissions.rounds import services as round_services
from tests.criteria_pages.factories import round_spec
from tests.e2e.csp import CspWatch
from tests.factories import DepartmentFactory, commune, district, member, province

# Playwright's sync API runs an event loop in the test thread; Django must still allow the ORM there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_CORE = Path(
    os.environ.get("AXE_CORE_PATH", Path(__file__).resolve().parents[2] / ".venv/axe/node_modules/axe-core/axe.min.js")
)
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
PASSWORD = "secret-pass-123"  # tests.factories.UserFactory's
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def csp(server):
    """Every browser context of the test is watched (``new_context``); at the end of the test, every response
    of the site carried its Content-Security-Policy and no page reported a violation (tests/e2e/csp.py)."""
    watch = CspWatch(server.url)
    yield watch
    watch.assert_clean()


@pytest.fixture
def browser(server, csp):
    """Chromium, started for each test after the database is ready and stopped before it is flushed.

    While Playwright's sync API is running, Django sees an event loop in this thread and gives the test
    code its own database connection; stopping the browser first lets the flush at the end of the test
    use the test database's own connection again (which knows how to restore the migrated state).
    """
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
        connections.close_all()


@pytest.fixture
def new_context(browser, csp):
    """Opens fresh browser contexts (``new_context(PHONE, java_script_enabled=False)``), each watched by ``csp``
    and closed at the end of the test."""
    contexts = []

    def open_context(viewport=DESKTOP, **options):
        context = browser.new_context(viewport=viewport, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", **options)
        context.set_default_timeout(15_000)
        contexts.append(csp.watch(context))
        return context

    yield open_context
    for context in contexts:
        context.close()


@pytest.fixture
def phone(new_context):
    """A fresh browser at phone size (360 px wide): nobody logged in."""
    return new_context(PHONE).new_page()


@pytest.fixture
def desktop(new_context):
    return new_context(DESKTOP).new_page()


@pytest.fixture
def server(live_server, transactional_db, django_db_serialized_rollback):
    """The live server over a database restored to its migrated state (home page, groups) for each test."""
    cache.clear()
    yield live_server
    cache.clear()


def login(page, base_url: str, username: str, then: str) -> None:
    page.goto(f"{base_url}/dang-nhap/?next={then}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base_url}{then}")


@pytest.fixture
def world(server):
    """Đắk Lắk with two districts and four communes, departments, one user per role, a published set, an
    open round, and a page per commune (built here: transactional tests start from the migrated state)."""
    DepartmentFactory(code="so-xd", name="Sở Xây dựng")
    DepartmentFactory(code="so-nnmt", name="Sở Nông nghiệp và Môi trường")
    dak_lak = province()
    krong_pac = district(dak_lak, "652", "Huyện Krông Pắc")
    buon_don = district(dak_lak, "648", "Huyện Buôn Đôn")
    communes = {
        "hoa_thuan": commune(krong_pac, "24400", "Xã Hòa Thuận"),
        "ea_kly": commune(krong_pac, "24401", "Xã Ea Kly"),
        "ea_wer": commune(buon_don, "24310", "Xã Ea Wer"),
    }
    tay_nguyen = ClassificationValue.objects.get(classification__code="region", code="TN")
    for unit in communes.values():
        UnitClassification.objects.create(unit=unit, classification=tay_nguyen.classification, value=tay_nguyen)
    users = {
        "officer": member(Role.COMMUNE_OFFICER, unit=communes["hoa_thuan"], username="canbo_hoathuan"),
        "reviewer": member(Role.DISTRICT_REVIEWER, unit=krong_pac, username="thamtra_krongpac"),
        "construction": member(
            Role.DEPARTMENT_APPRAISER, department=Department.objects.get(code="so-xd"), username="so_xaydung"
        ),
        "agriculture": member(
            Role.DEPARTMENT_APPRAISER, department=Department.objects.get(code="so-nnmt"), username="so_nongnghiep"
        ),
        "office": member(Role.OFFICE_EDITOR, unit=dak_lak, username="vanphong"),
    }
    index = CriteriaIndexPage.objects.get()
    _set_page, version = criteria_services.criteria_set_import(spec=round_spec(), parent=index)
    form_page = EvaluationFormPage(
        title="Biểu mẫu đánh giá thử",
        slug="bieu-mau-thu",
        criteria_set=_set_page,
        sections=[
            (
                "section",
                {
                    "title": "Người lập biểu",
                    "description": "",
                    "questions": [("short_text", {"label": "Họ và tên người lập", "help_text": "", "required": True})],
                },
            )
        ],
    )
    index.add_child(instance=form_page)
    form_page.save_revision().publish()
    round_ = Round.objects.create(
        name="Đánh giá năm 2026",
        kind=RoundKind.YEARLY,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31),
        criteria_version=version,
        form_page=form_page,
        scope_root=dak_lak,
        scope_unit_types="Xã",
        opens_on=datetime.date(2026, 11, 1),
        due_on=datetime.date(2026, 12, 15),
    )
    round_services.round_open(round_=round_, user=users["office"])
    home = HomePage.objects.get()
    home.province = dak_lak
    home.save()
    public_services.commune_pages_ensure(units=communes.values())
    question = "q_" + form_page.sections[0].value["questions"][0].id
    return {
        "url": server.url,
        "province": dak_lak,
        "communes": communes,
        "users": users,
        "round": round_,
        "version": version,
        "question": question,
        "submissions": {key: Submission.objects.get(round=round_, unit=unit) for key, unit in communes.items()},
    }


def fill_and_submit(world, key: str, **raws) -> Submission:
    """The commune's part, through the same services as its form: values, evidence, submit."""
    submission = world["submissions"][key]
    officer = world["users"]["officer"]
    values = {"1.1": "có", "2.1": "95", "2.2": "7", "10.1": "50", **raws}
    submission_services.submission_save(
        submission=submission, raws=values, answers={world["question"]: "Nguyễn Văn An"}, user=officer
    )
    submission_services.evidence_add(
        submission=submission, indicator_code="1.1", upload=SimpleUploadedFile("qd.pdf", PDF), user=officer
    )
    submission.refresh_from_db()
    review.submission_submit(
        submission=submission, user=officer, required_questions={world["question"]: "Họ và tên người lập"}
    )
    submission.refresh_from_db()
    return submission


def to_appraisal(world, key: str) -> Submission:
    submission = fill_and_submit(world, key)
    review.review_forward(submission=submission, user=world["users"]["reviewer"])
    submission.refresh_from_db()
    return submission


def to_recognition(world, key: str) -> Submission:
    submission = to_appraisal(world, key)
    for number, user in ((1, "construction"), (2, "construction"), (10, "agriculture")):
        review.appraisal_decide(submission=submission, number=number, user=world["users"][user])
    submission.refresh_from_db()
    return submission


def publish_result(world, key: str, decision_number: str) -> Submission:
    """The whole flow through to a published result, by the services (for pages that need one)."""
    submission = to_recognition(world, key)
    review.recognise(
        submission=submission,
        user=world["users"]["office"],
        decision_number=decision_number,
        decision_date=datetime.date(2026, 12, 20),
    )
    review.publish(submissions=[submission], user=world["users"]["office"])
    submission.refresh_from_db()
    return submission
