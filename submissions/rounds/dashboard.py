"""The admin home page's panels: progress of the office's open round, and the readiness of its draft and open
rounds."""

from django.utils.translation import gettext as _

from wagtail.admin.ui.components import Component

from submissions import access
from submissions.models import Round, RoundStatus
from submissions.reports import exports, statistics

from .readiness import round_readiness
from .views import ROUND_ACTIONS, inspect_url

# --- the dashboard: progress of the open round ------------------------------------------------------


class RoundProgressPanel(Component):
    """The open round in the office's province: progress, bottlenecks by department, and a bar chart
    (plain HTML/CSS, no JavaScript) next to a table of the same numbers."""

    name = "ntm_round_progress"
    template_name = "submissions/admin/dashboard_round_progress.html"
    order = 50

    class Media:
        # A file, not a <style> block in the template: the Content-Security-Policy allows no inline style.
        css = {"all": ["submissions/css/dashboard.css"]}

    def __init__(self, round_: Round, parent):
        self.round = round_
        self.parent = parent

    def get_context_data(self, parent_context=None):
        summary = statistics.round_summary(self.round, parent=self.parent)
        departments = statistics.appraisal_progress(self.round, parent=self.parent)
        whole = summary.units_in_scope
        steps = [
            (_("Đơn vị trong phạm vi"), summary.units_in_scope),
            (_("Đã nộp hồ sơ"), summary.units_submitted),
            (_("Đã được công nhận"), summary.units_recognised),
            (_("Đạt đủ %(total)s/%(total)s tiêu chí") % {"total": summary.criteria_count}, summary.units_meeting_all),
            (_("Đạt chuẩn"), summary.units_reaching_standard),
        ]
        bars = [
            {"label": label, "value": value, "percent": (100 * value / whole) if whole else 0} for label, value in steps
        ]
        return {
            "round": self.round,
            "scope": self.parent,
            "summary": summary,
            "sentence": exports.statistics_sentence(summary, self.round.spec),
            "bars": bars,
            "bottlenecks": [item for item in departments if item.pending or item.overdue],
            "stage_days": statistics.stage_days(),
            "inspect_url": inspect_url(self.round),
        }


def round_progress_panels(request, panels):
    """Put the progress of the user's open round first on the admin's home page."""
    found = statistics.dashboard_round(request.user)
    if found is not None:
        panels.insert(0, RoundProgressPanel(*found))


# --- the dashboard: is each draft or open round ready? ---------------------------------------------------

#: The rounds whose checklist the home page shows, at most (the newest first).
READINESS_ROUNDS = 5
#: Rounds whose checklist is shown: those still being prepared, and those running (people can still be added).
READINESS_STATUSES = (RoundStatus.DRAFT, RoundStatus.OPEN)


class RoundReadinessPanel(Component):
    """For each draft or open round the office changes: the checklist of :mod:`submissions.rounds.readiness`."""

    name = "ntm_round_readiness"
    template_name = "submissions/admin/dashboard_round_readiness.html"
    order = 60

    class Media:
        css = {"all": ["submissions/css/dashboard.css"]}

    def __init__(self, rounds: list[Round]):
        self.rounds = rounds

    def get_context_data(self, parent_context=None):
        open_action = ROUND_ACTIONS["open"]
        return {
            "rounds": [
                {
                    "round": round_,
                    "items": round_readiness(round_),
                    "inspect_url": inspect_url(round_),
                    "open_url": open_action.url(round_) if round_.status in open_action.shown_for else "",
                }
                for round_ in self.rounds
            ]
        }


def round_readiness_panels(request, panels):
    """The checklist of the rounds the user prepares or runs (office editors of their province, superusers)."""
    rounds = list(
        access.rounds_changeable_by(request.user)
        .filter(status__in=READINESS_STATUSES)
        .order_by("-opens_on", "-pk")[:READINESS_ROUNDS]
    )
    if rounds:
        panels.append(RoundReadinessPanel(rounds))
