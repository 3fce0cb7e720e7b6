"""Vietnamese first: pages stay Vietnamese for an English browser until the visitor switches; the API
follows Accept-Language."""

import pytest


@pytest.mark.django_db
def test_pages_are_vietnamese_for_an_english_browser_until_switched(client):
    page = client.get("/dang-nhap/", headers={"accept-language": "en-US,en;q=0.9"})
    assert '<html lang="vi">' in page.text
    assert "Đăng nhập" in page.text
    client.post("/i18n/setlang/", {"language": "en", "next": "/dang-nhap/"})
    switched = client.get("/dang-nhap/")
    assert '<html lang="en">' in switched.text


@pytest.mark.django_db
def test_api_follows_accept_language(client):
    vietnamese = client.get("/api/v1/nothing/").json()
    english = client.get("/api/v1/nothing/", headers={"accept-language": "en"}).json()
    assert vietnamese["message"] == "Không tìm thấy địa chỉ API này."
    assert english["message"] == "This API address does not exist."
