"""The admin home page's panel: progress of the office's open round."""

from django.utils.translation import gettext as _

from wagtail.admin.ui.components import Component

from submissions.models import Round
from submissions.reports import exports, statistics

from .views import inspect_url

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
