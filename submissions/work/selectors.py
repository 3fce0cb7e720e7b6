"""Where each person's work is: one place per role they hold (the commune's forms, the review queue, the admin's
dashboard), with the scope it covers."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.directory.access import ROLE_PRECEDENCE, SUPERUSER_ROLE, scopes_of
from cms.directory.models import Role, UnitLevel
from submissions import access

#: The URL name of each role's place: commune officers fill their forms, reviewers and appraisers work their
#: queue, the office (and the national reader, who reads) starts from the admin's dashboard.
ROLE_PLACES = {
    Role.COMMUNE_OFFICER: "submissions:list",
    Role.DISTRICT_REVIEWER: "review:queue",
    Role.DEPARTMENT_APPRAISER: "review:queue",
    Role.OFFICE_EDITOR: "wagtailadmin_home",
    Role.NATIONAL_READER: "wagtailadmin_home",
}
#: OCOP: a producer's dossiers and products (``/ocop/ho-so/``, ``/ocop/san-pham/`` of ``cms.directory.products``), a
#: council member's councils and score sheets (``/ocop/hoi-dong/``); paths used where a route is not named (yet).
OCOP_PLACES = {
    Role.PRODUCER: ("ocop-dossiers:list", "/ocop/ho-so/"),
    Role.COUNCIL_MEMBER: ("councils:list", "/ocop/hoi-dong/"),
}
PRODUCTS_PLACE = ("ocop_products:product_list", "/ocop/san-pham/")
PRODUCTS_WORK = gettext_lazy("Đăng ký và cập nhật sản phẩm của chủ thể")
#: Where the forms are filled (a commune's by its officer, a district's by its reviewer).
FORMS_PLACE = "submissions:list"
DISTRICT_FORMS_WORK = gettext_lazy("Điền và nộp hồ sơ đánh giá của huyện")
ROLE_WORK = {
    Role.COMMUNE_OFFICER: gettext_lazy("Điền và nộp hồ sơ đánh giá của xã"),
    Role.DISTRICT_REVIEWER: gettext_lazy("Thẩm tra hồ sơ của các xã trong huyện"),
    Role.DEPARTMENT_APPRAISER: gettext_lazy("Thẩm định các tiêu chí sở, ngành phụ trách"),
    Role.OFFICE_EDITOR: gettext_lazy("Quản lý đợt đánh giá, công nhận và công khai kết quả của tỉnh"),
    Role.NATIONAL_READER: gettext_lazy("Xem đợt đánh giá, số liệu và báo cáo của mọi tỉnh (chỉ xem)"),
    Role.PRODUCER: gettext_lazy("Nộp và theo dõi hồ sơ sản phẩm OCOP của chủ thể"),
    Role.COUNCIL_MEMBER: gettext_lazy("Chấm điểm sản phẩm OCOP trong các hội đồng được phân công"),
}


def place_url(role: str) -> str:
    """Where ``role`` works: its named route, or for an OCOP role its path when the route is not named."""
    if role in OCOP_PLACES:
        return _reverse_or(*OCOP_PLACES[role])
    return reverse(ROLE_PLACES[role])


def _reverse_or(name: str, path: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return path


@dataclass(frozen=True)
class WorkPlace:
    """One of a person's roles: its name, the scope it covers, what it does there and where."""

    role: str
    label: str
    scope: str
    work: str
    url: str


def work_places(user) -> list[WorkPlace]:
    """The person's places, one per membership (the most local role first), and the form of a district that is
    the subject of a round beside its reviewer's queue; a superuser without a membership works in the admin."""
    scopes = scopes_of(user)
    order = {role: index for index, role in enumerate(ROLE_PRECEDENCE)}
    filled = _districts_filled(user, scopes)
    places = []
    for membership in sorted(scopes.memberships, key=lambda m: (order.get(m.role, len(order)), m.pk)):
        scope = membership.scope
        label, scope_name = str(Role(membership.role).label), str(scope.name) if scope is not None else _("Toàn quốc")
        places.append(
            WorkPlace(
                role=membership.role,
                label=label,
                scope=scope_name,
                work=str(ROLE_WORK[membership.role]),
                url=place_url(membership.role),
            )
        )
        if membership.role == Role.PRODUCER:
            places.append(
                WorkPlace(membership.role, label, scope_name, str(PRODUCTS_WORK), _reverse_or(*PRODUCTS_PLACE))
            )
        if membership.role == Role.DISTRICT_REVIEWER and membership.unit_id in filled:
            places.append(WorkPlace(membership.role, label, scope_name, str(DISTRICT_FORMS_WORK), reverse(FORMS_PLACE)))
    if not places and scopes.is_superuser:
        places.append(
            WorkPlace(
                role=SUPERUSER_ROLE,
                label=_("Quản trị hệ thống"),
                scope=_("Toàn quốc"),
                work=_("Quản trị toàn bộ hệ thống"),
                url=reverse("wagtailadmin_home"),
            )
        )
    return places


def dossiers_of_producer(user, scopes=None):
    """The OCOP dossiers a producer's account fills, newest round first (none for anyone else, without a query)."""
    scopes = scopes or scopes_of(user)
    if not scopes.producers():
        return []
    return list(access.submissions_filled_by(user).of_products().select_related("product__producer")[:50])


def _districts_filled(user, scopes) -> set[int]:
    """The districts whose own form ``user`` fills as their reviewer (:func:`submissions.access.
    submissions_filled_by`: a district that is the subject of a round); no query for anyone else."""
    if not scopes.has_role(Role.DISTRICT_REVIEWER):
        return set()
    filled = access.submissions_filled_by(user).filter(unit__level=UnitLevel.DISTRICT)
    return set(filled.values_list("unit_id", flat=True))
