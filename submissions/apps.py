from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubmissionsConfig(AppConfig):
    name = "submissions"
    verbose_name = _("Đánh giá")

    def ready(self):
        # Imported here because models must be loaded first.
        from cms.directory.models import Role  # noqa: PLC0415
        from cms.directory.roles import grant  # noqa: PLC0415

        grant(
            Role.OFFICE_EDITOR,
            *(f"submissions.{action}_round" for action in ("add", "change", "view")),
            "submissions.view_submission",
            "audit.view_auditentry",
        )
        for role in (Role.DISTRICT_REVIEWER, Role.DEPARTMENT_APPRAISER):
            grant(role, "submissions.view_round", "submissions.view_submission")
        # The central coordination office reads every province's rounds, their statistics, exports and
        # history; the access rules (submissions.access) keep it read-only.
        grant(Role.NATIONAL_READER, "submissions.view_round", "submissions.view_submission", "audit.view_auditentry")

        from cms.audit.history import register_history  # noqa: PLC0415

        from . import access  # noqa: PLC0415
        from .models import Round, Submission  # noqa: PLC0415

        register_history(Round, access.rounds_in_admin_for)
        register_history(Submission, access.submissions_visible_to)

        # Every change of results replaces the version of the cached statistics (submissions.reports.statistics.cache).
        from .reports.statistics import cache as statistics_cache  # noqa: PLC0415

        statistics_cache.connect()
