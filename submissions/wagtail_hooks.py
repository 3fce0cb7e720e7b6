"""Admin registration of the submissions app: rounds, their actions and exports, the dashboard panels, the
review queue's menu item."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail_modeladmin.options import modeladmin_register

from submissions.rounds.admin import EvaluationGroup
from submissions.rounds.dashboard import round_progress_panels, round_readiness_panels
from submissions.work.menu import ReviewQueueMenuItem

modeladmin_register(EvaluationGroup)
hooks.register("construct_homepage_panels", round_progress_panels)
hooks.register("construct_homepage_panels", round_readiness_panels)


@hooks.register("register_admin_urls")
def register_round_urls():
    return [path("submissions/round/", include("submissions.rounds.urls"))]


@hooks.register("register_admin_menu_item")
def register_review_queue_menu_item():
    return ReviewQueueMenuItem(
        _("Chờ xét duyệt"), reverse("review:queue"), name="ntm-review-queue", icon_name="tasks", order=210
    )
