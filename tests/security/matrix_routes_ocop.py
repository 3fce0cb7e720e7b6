"""The attacker matrix's routes of OCOP (:mod:`tests.security.test_attacker_matrix`): producers and products (their
phone screens, private photos and admin), councils (the office's pages, the members' score sheets, the chair's
close, and their API), the office's recognition screen, certificates (print, revoke, the public check) and the
public catalogue API. The world is :mod:`tests.security.matrix_world_ocop`.

The attackers hold no OCOP role: the producer, the council members and the chair are covered by
``tests/submissions/ocop/test_ocop_permission_matrix.py``. Here the own province's office manages producers,
products, councils and recognition; the attacked commune's officer manages its producers and products; nobody of the
matrix scores or closes (the office sees the council, so its close is a 403); every other-province cell is refused,
but the public check of a certificate and the catalogue API, which answer the other province's objects exactly as
anonymous gets them."""

from django.core.files.uploadedfile import SimpleUploadedFile

from cms.directory.products.models import Product
from submissions.models import Submission
from tests.security.matrix_cells import (
    EVERYONE,
    NOBODY,
    ONLY_OFFICE,
    PUBLIC,
    Request,
    Route,
    get,
    json_post,
    post,
    rights,
)
from tests.security.matrix_world import ANONYMOUS, DEPARTMENT, DISTRICT, OFFICE, OFFICER, SUBMITTED, _png
from tests.security.matrix_world_ocop import (
    certificate_code_of,
    council_of,
    entry_of,
    photo_of,
    producer_of,
    product_of,
    recognised_product_of,
    round_of,
    seat_of,
    sheet_of,
    sheet_version,
    unseated_user_of,
    waiting_dossier_of,
)

#: A producer and its products are managed by the office of the province and the officers of its commune.
MANAGERS = rights(allowed=(OFFICE, OFFICER), refused=(DISTRICT, DEPARTMENT, ANONYMOUS))
NATIONAL_GROUPS = "the OCOP product classification is national data, loaded by migration for every province"
S = SUBMITTED  # the OCOP world is built with the matrix's; no stage is needed


def _producer_body(w, s) -> dict:
    return {
        "name": f"Hợp tác xã Ma Trận {s.province.code} (đổi tên)",
        "kind": "cooperative",
        "registration_number": f"5000{s.province.code}",
        "commune": s.commune.pk,
        "address": "Thôn 2",
        "representative": "Trần Thị Đại Diện",
        "phone": "0912 000 111",
        "email": "",
    }


def _product_body(w, s) -> dict:
    product = Product.objects.get(pk=product_of(w, s))
    return {
        "producer": product.producer_id,
        "name": product.name + " loại 1",
        "group": product.group_id,
        "description": "Mật ong hoa cà phê.",
    }


def _photo_body(w, s) -> dict:
    return {"file": SimpleUploadedFile("them.png", _png(), content_type="image/png"), "caption": "Ảnh thêm"}


def _decision_body(prefix=""):
    key = (lambda name: f"{prefix}-{name}") if prefix else (lambda name: name)
    return lambda w, s: {key("number"): "99/QĐ-UBND", key("date"): "01/12/2026"}


def _producer(suffix=""):
    return lambda w, s: f"/ocop/chu-the/{producer_of(w, s)}/{suffix}"


def _product(suffix=""):
    return lambda w, s: f"/ocop/san-pham/{product_of(w, s)}/{suffix}"


def _council(suffix=""):
    return lambda w, s: f"/ocop/hoi-dong/{council_of(w, s)}/{suffix}"


def _seat(number: int, action: str):
    return lambda w, s: f"/ocop/hoi-dong/{council_of(w, s)}/thanh-vien/{seat_of(number)(w, s)}/{action}/"


def _sheet(suffix=""):
    return lambda w, s: f"/ocop/hoi-dong/phieu-cham/{sheet_of(w, s)}/{suffix}"


def _recognition(suffix=""):
    return lambda w, s: f"/ocop/cong-nhan/{round_of(w, s)}/{suffix}"


def _certificate(suffix=""):
    return lambda w, s: f"/ocop/chung-nhan/{certificate_code_of(w, s)}/{suffix}"


def _api_council(suffix=""):
    return lambda w, s: f"/api/v1/ocop/councils/{council_of(w, s)}/{suffix}"


def _api_sheet(suffix=""):
    return lambda w, s: f"/api/v1/ocop/sheets/{sheet_of(w, s)}/{suffix}"


def _sheet_raws(w, s) -> dict:
    return {"s_A": "30", "s_B": "20", "s_C": "25", "lock_version": sheet_version(w, s)}


def _modeladmin(model: str, view: str, pk, own, *, national="", post_body=None) -> Route:
    path = lambda w, s: f"/admin/directory/{model}/{view}/{pk(w, s)}/"  # noqa: E731
    requests = (get(path, S),)
    if post_body is not None:
        requests += (post(path, post_body, S),)
    return Route(f"/admin/directory/{model}/{view}/<instance_pk>/", requests, own, national=national)


def _group_of(w, s) -> int:
    return Product.objects.get(pk=product_of(w, s)).group_id


def _recognised_dossier(w, s) -> int:
    return Submission.objects.get(product_id=recognised_product_of(w, s)).pk


#: The office's admin of producers and products (the commune officer has no admin: redirected home, refused).
ADMIN_MANAGERS = rights(allowed=(OFFICE,), refused=(DISTRICT, DEPARTMENT, OFFICER, ANONYMOUS))

OCOP_ROUTES = [
    # --- producers and products: phone screens (cms.directory.products) ---
    Route("/ocop/chu-the/<pk>/", (get(_producer(), S),), MANAGERS),
    Route("/ocop/chu-the/<pk>/sua/", (get(_producer("sua/"), S), post(_producer("sua/"), _producer_body, S)), MANAGERS),
    Route(
        "/ocop/chu-the/<pk>/tai-khoan/",
        (
            get(_producer("tai-khoan/"), S),
            post(
                _producer("tai-khoan/"),
                lambda w, s: {"full_name": "Lê Văn Chủ Thể", "username": f"chu_the_moi_{s.province.code}"},
                S,
            ),
        ),
        MANAGERS,
    ),
    Route("/ocop/san-pham/<pk>/", (get(_product(), S),), MANAGERS),
    Route("/ocop/san-pham/<pk>/sua/", (get(_product("sua/"), S), post(_product("sua/"), _product_body, S)), MANAGERS),
    Route("/ocop/san-pham/<pk>/anh/", (post(_product("anh/"), _photo_body, S, multipart=True),), MANAGERS),
    Route("/ocop/san-pham/anh/<pk>/", (get(lambda w, s: f"/ocop/san-pham/anh/{photo_of(w, s)}/", S),), MANAGERS),
    Route(
        "/ocop/san-pham/anh/<pk>/xoa/",
        (post(lambda w, s: f"/ocop/san-pham/anh/{photo_of(w, s)}/xoa/", stage=S),),
        MANAGERS,
    ),
    # --- producers, products and the classification in the admin (cms.directory.products.admin) ---
    _modeladmin("producer", "edit", producer_of, ADMIN_MANAGERS, post_body=_producer_body),
    _modeladmin("producer", "delete", producer_of, ADMIN_MANAGERS, post_body=lambda w, s: {}),
    _modeladmin("producer", "history", producer_of, ADMIN_MANAGERS),
    _modeladmin("product", "edit", product_of, ADMIN_MANAGERS, post_body=_product_body),
    _modeladmin("product", "delete", product_of, ADMIN_MANAGERS, post_body=lambda w, s: {}),
    _modeladmin("product", "history", product_of, ADMIN_MANAGERS),
    # the classification is national: office editors correct it (edit, history); only superusers delete its rows
    _modeladmin("productgroup", "edit", _group_of, ADMIN_MANAGERS, national=NATIONAL_GROUPS, post_body=lambda w, s: {}),
    _modeladmin("productgroup", "delete", _group_of, NOBODY, national=NATIONAL_GROUPS, post_body=lambda w, s: {}),
    _modeladmin("productgroup", "history", _group_of, ADMIN_MANAGERS, national=NATIONAL_GROUPS),
    # --- councils: the office's pages, the members' sheets, the chair's close (submissions.ocop.councils) ---
    Route(
        "/ocop/hoi-dong/dot/<round_pk>/lap-hoi-dong/",
        (
            get(lambda w, s: f"/ocop/hoi-dong/dot/{round_of(w, s)}/lap-hoi-dong/", S),
            post(
                lambda w, s: f"/ocop/hoi-dong/dot/{round_of(w, s)}/lap-hoi-dong/",
                lambda w, s: {"name": "Hội đồng OCOP mới", "level": "province", "unit": s.province.pk},
                S,
            ),
        ),
        ONLY_OFFICE,
    ),
    Route("/ocop/hoi-dong/<pk>/", (get(_council(), S),), ONLY_OFFICE),
    Route(
        "/ocop/hoi-dong/<pk>/thanh-vien/",
        (post(_council("thanh-vien/"), lambda w, s: {"user": unseated_user_of(w, s), "position": "Ủy viên"}, S),),
        ONLY_OFFICE,
    ),
    Route("/ocop/hoi-dong/<pk>/thanh-vien/<member_pk>/bo/", (post(_seat(3, "bo"), stage=S),), ONLY_OFFICE),
    Route("/ocop/hoi-dong/<pk>/thanh-vien/<member_pk>/chu-tich/", (post(_seat(2, "chu-tich"), stage=S),), ONLY_OFFICE),
    Route(
        "/ocop/hoi-dong/<pk>/giao-ho-so/",
        (
            get(_council("giao-ho-so/"), S),
            post(_council("giao-ho-so/"), lambda w, s: {"submissions": [waiting_dossier_of(w, s)]}, S),
        ),
        ONLY_OFFICE,
    ),
    # the office sees the council but does not chair it: 403
    Route(
        "/ocop/hoi-dong/<pk>/ket-thuc/", (get(_council("ket-thuc/"), S), post(_council("ket-thuc/"), stage=S)), NOBODY
    ),
    Route("/ocop/hoi-dong/ho-so/<pk>/", (get(lambda w, s: f"/ocop/hoi-dong/ho-so/{entry_of(w, s)}/", S),), ONLY_OFFICE),
    # a sheet is its member's only: 404 for everyone of the matrix
    Route("/ocop/hoi-dong/phieu-cham/<pk>/", (get(_sheet(), S), post(_sheet(), _sheet_raws, S)), NOBODY),
    Route("/ocop/hoi-dong/phieu-cham/<pk>/nop/", (post(_sheet("nop/"), _sheet_raws, S),), NOBODY),
    Route("/ocop/hoi-dong/phieu-cham/<pk>/mo-lai/", (post(_sheet("mo-lai/"), _sheet_raws, S),), NOBODY),
    # --- recognition and certificates (submissions.ocop.recognition) ---
    Route("/ocop/cong-nhan/<round_id>/", (get(_recognition(), S),), ONLY_OFFICE),
    Route(
        "/ocop/cong-nhan/<round_id>/quyet-dinh/", (post(_recognition("quyet-dinh/"), _decision_body(), S),), ONLY_OFFICE
    ),
    Route(
        "/ocop/cong-nhan/<round_id>/trung-uong/",
        (post(_recognition("trung-uong/"), _decision_body("tw"), S),),
        ONLY_OFFICE,
    ),
    Route(
        "/ocop/cong-nhan/<round_id>/cong-khai/",
        (
            post(
                _recognition("cong-khai/"),
                lambda w, s: {"submission": [_recognised_dossier(w, s)], "published": "0"},
                S,
            ),
        ),
        ONLY_OFFICE,
    ),
    Route("/ocop/chung-nhan/<code>/", (get(_certificate(), S),), EVERYONE, other=PUBLIC),
    Route("/ocop/chung-nhan/<code>/in/", (get(_certificate("in/"), S),), ONLY_OFFICE),
    Route(
        "/ocop/chung-nhan/<code>/thu-hoi/",
        (post(_certificate("thu-hoi/"), lambda w, s: {"reason": "Sản phẩm không còn sản xuất."}, S),),
        ONLY_OFFICE,
    ),
    # --- the councils' API (submissions.ocop.councils.api) ---
    Route("/api/v1/ocop/councils/<pk>/", (get(_api_council(), S),), ONLY_OFFICE),
    Route("/api/v1/ocop/councils/<pk>/close/", (json_post(_api_council("close/"), lambda w, s: {}, S),), NOBODY),
    Route(
        "/api/v1/ocop/sheets/<pk>/",
        (
            get(_api_sheet(), S),
            Request(
                "PUT",
                _api_sheet(),
                lambda w, s: {"values": {"A": "30", "B": "20", "C": "25"}, "lock_version": sheet_version(w, s)},
                stage=S,
                json=True,
            ),
        ),
        NOBODY,
    ),
    Route(
        "/api/v1/ocop/sheets/<pk>/submit/",
        (json_post(_api_sheet("submit/"), lambda w, s: {"lock_version": sheet_version(w, s)}, S),),
        NOBODY,
    ),
    Route(
        "/api/v1/ocop/sheets/<pk>/reopen/",
        (json_post(_api_sheet("reopen/"), lambda w, s: {"lock_version": sheet_version(w, s)}, S),),
        NOBODY,
    ),
    # --- the public catalogue API (submissions.ocop.catalogue) ---
    Route(
        "/api/v1/ocop/products/<pk>/",
        (get(lambda w, s: f"/api/v1/ocop/products/{recognised_product_of(w, s)}/", S),),
        EVERYONE,
        other=PUBLIC,
    ),
]
