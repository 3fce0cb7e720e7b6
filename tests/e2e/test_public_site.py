"""A citizen on a phone: finds a commune by typing its name without diacritics, reads its criteria;
the public pages pass axe-core's checks (no serious or critical violation), at phone and desktop size."""

import re

import pytest

from tests.e2e.conftest import AXE_CORE, PHONE, publish_result

pytestmark = pytest.mark.e2e

AXE_BLOCKING = {"serious", "critical"}


def test_citizen_finds_a_commune_without_typing_diacritics_and_reads_its_criteria(world, phone):
    publish_result(world, "hoa_thuan", "125/QĐ-UBND")
    base = world["url"]
    phone.goto(base + "/")
    phone.get_by_label("Tìm xã theo tên").fill("hoa thuan")
    phone.keyboard.press("Enter")
    phone.wait_for_url(re.compile(r"/tim-kiem/\?q=hoa\+thuan$"))
    assert "1 xã khớp" in phone.get_by_role("status").inner_text()
    phone.get_by_role("link", name="Xã Hòa Thuận").click()
    phone.wait_for_url(base + "/xa/xa-hoa-thuan/")
    assert phone.get_by_role("heading", level=1).inner_text() == "Xã Hòa Thuận"
    assert phone.title().startswith("Xã Hòa Thuận")
    table = phone.get_by_role("table", name=re.compile("Các tiêu chí"))
    rows = table.locator("tbody tr")
    assert rows.count() == 3
    assert "1. Quy hoạch" in rows.nth(0).inner_text() and "Đạt" in rows.nth(0).inner_text()
    assert "Đạt 3/3 tiêu chí" in phone.locator(".summary-box").inner_text()
    assert "Quyết định số 125/QĐ-UBND ngày 20/12/2026" in phone.content()
    # nothing is wider than the phone (tables scroll inside their own box)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # printing drops the navigation and keeps the results
    phone.emulate_media(media="print")
    assert not phone.locator(".site-nav").is_visible()
    assert table.is_visible()


def test_pages_work_without_javascript(world, new_context):
    publish_result(world, "hoa_thuan", "125/QĐ-UBND")
    context = new_context(PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(world["url"] + "/")
    page.fill("#q", "ea kly")
    page.get_by_role("button", name="Tìm").click()
    page.wait_for_url(re.compile(r"/tim-kiem/"))
    assert page.get_by_role("link", name="Xã Ea Kly").is_visible()
    context.close()


def axe_violations(page) -> list[dict]:
    if not AXE_CORE.exists():
        pytest.fail(
            f"axe-core is missing at {AXE_CORE}: run `npm install --prefix .venv/axe axe-core@4` "
            "(or set AXE_CORE_PATH to axe.min.js)."
        )
    # Evaluated through the DevTools protocol: a <script> tag would be an inline script, which the site's
    # Content-Security-Policy rightly refuses.
    page.evaluate(AXE_CORE.read_text(encoding="utf-8") + "\n;undefined")
    return page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(" ")),
            }));
        }"""
    )


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_public_pages_have_no_serious_accessibility_violations(world, request, size):
    publish_result(world, "hoa_thuan", "125/QĐ-UBND")
    page = request.getfixturevalue(size)
    for path in ("/", "/xa/", "/xa/xa-hoa-thuan/", "/xa/xa-ea-wer/", "/tieu-chi/", "/tieu-chi/2/", "/tim-kiem/?q=ea"):
        response = page.goto(world["url"] + path)
        assert response.status == 200, path
        blocking = [v for v in axe_violations(page) if v["impact"] in AXE_BLOCKING]
        assert blocking == [], (path, blocking)
        if size == "phone":  # responsive: nothing wider than the screen (wide tables scroll in their own box)
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path


def test_the_accessibility_check_itself_finds_problems(browser):
    context = browser.new_context()
    page = context.new_page()
    page.set_content("<html><body><img src='x.png'><button></button></body></html>")
    found = {v["id"] for v in axe_violations(page) if v["impact"] in AXE_BLOCKING}
    context.close()
    assert {"image-alt", "button-name", "html-has-lang"} <= found
