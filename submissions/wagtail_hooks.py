"""Admin registration of the submissions app: rounds, their actions and exports, the dashboard panels, the
review queue's menu item."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail_modeladmin.options import modeladmin_register

from cms.directory.api import UNIT_DETAIL_FIELDS_HOOK
from submissions.consultation.admin_views import MENU_NAME as CONSULTATIONS_MENU_NAME
from submissions.consultation.admin_views import ConsultationsMenuItem
from submissions.ocop.menu import ocop_menu_item
from submissions.registration.menu import MENU_NAME as REGISTRATION_MENU_NAME
from submissions.registration.menu import RegistrationMenuItem
from submissions.reports.jobs.menu import ExportJobsMenuItem
from submissions.reports.jobs.views import LIST_URL_NAME as EXPORT_JOBS_URL_NAME
from submissions.reports.jobs.views import MENU_NAME as EXPORT_JOBS_MENU_NAME
from submissions.rounds.admin import EvaluationGroup
from submissions.rounds.dashboard import round_progress_panels, round_readiness_panels
from submissions.titles.api import unit_detail_fields as title_unit_detail_fields
from submissions.titles.menu import TitlesMenuItem
from submissions.titles.views import LIST_URL_NAME as TITLES_URL_NAME
from submissions.work.menu import ReviewQueueMenuItem

modeladmin_register(EvaluationGroup)
hooks.register("construct_homepage_panels", round_progress_panels)
hooks.register("construct_homepage_panels", round_readiness_panels)


@hooks.register("register_admin_urls")
def register_round_urls():
    return [
        path("submissions/round/", include("submissions.rounds.urls")),
        path("submissions/exports/", include("submissions.reports.jobs.urls")),
        path("submissions/titles/", include("submissions.titles.admin_urls")),
        path("submissions/registration/", include("submissions.registration.admin_urls")),
        path("submissions/recognition/", include("submissions.recognition.admin_urls")),
        path("submissions/consultation/", include("submissions.consultation.admin_urls")),
    ]


@hooks.register("register_admin_menu_item")
def register_review_queue_menu_item():
    return ReviewQueueMenuItem(
        _("Chờ xét duyệt"), reverse("review:queue"), name="ntm-review-queue", icon_name="tasks", order=210
    )


@hooks.register("register_admin_menu_item")
def register_export_jobs_menu_item():
    return ExportJobsMenuItem(
        _("Tệp xuất của tôi"),
        reverse(EXPORT_JOBS_URL_NAME),
        name=EXPORT_JOBS_MENU_NAME,
        icon_name="download",
        order=220,
    )


hooks.register(UNIT_DETAIL_FIELDS_HOOK, title_unit_detail_fields)


@hooks.register("register_admin_menu_item")
def register_titles_menu_item():
    return TitlesMenuItem(_("Danh hiệu"), reverse(TITLES_URL_NAME), name="ntm-titles", icon_name="success", order=230)


@hooks.register("register_admin_menu_item")
def register_registration_menu_item():
    return RegistrationMenuItem(
        _("Đăng ký danh hiệu"),
        reverse("registration_admin:list"),
        name=REGISTRATION_MENU_NAME,
        icon_name="form",
        order=235,
    )


@hooks.register("register_admin_menu_item")
def register_consultations_menu_item():
    return ConsultationsMenuItem(
        _("Lấy ý kiến người dân"),
        reverse("consultation_admin:index"),
        name=CONSULTATIONS_MENU_NAME,
        icon_name="comment",
        order=230,
    )


hooks.register("register_admin_menu_item", ocop_menu_item)
