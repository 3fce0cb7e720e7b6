"""Admin registration of the submissions app: rounds, their actions and exports, the dashboard panel."""

from django.urls import include, path

from wagtail import hooks
from wagtail_modeladmin.options import modeladmin_register

from submissions.rounds.admin import EvaluationGroup
from submissions.rounds.dashboard import round_progress_panels

modeladmin_register(EvaluationGroup)
hooks.register("construct_homepage_panels", round_progress_panels)


@hooks.register("register_admin_urls")
def register_round_urls():
    return [path("submissions/round/", include("submissions.rounds.urls"))]
