"""Admin registration of the submissions app: rounds, their actions and exports, the dashboard panels, the
review queue's menu item."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail_modeladmin.options import modeladmin_register

from submissions.reports.jobs.menu import ExportJobsMenuItem
from submissions.reports.jobs.views import LIST_URL_NAME as EXPORT_JOBS_URL_NAME
from submissions.reports.jobs.views import MENU_NAME as EXPORT_JOBS_MENU_NAME
from submissions.rounds.admin import EvaluationGroup
from submissions.rounds.dashboard import round_progress_panels, round_readiness_panels
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
