"""Panels of the set editor that are not fields."""

from wagtail.admin.panels import Panel


class CriteriaStatusPanel(Panel):
    """The set's criteria as publishing the set will freeze them: which have unpublished changes (published with
    the set), which list no indicator (a warning: a round cannot open on such a version), and the problems that
    stop the set from being published (the form's own errors, which Wagtail's page editor does not show)."""

    @property
    def clean_name(self):
        return super().clean_name or "criteria_status"

    class BoundPanel(Panel.BoundPanel):
        template_name = "criteria_pages/admin/criteria_status_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["rows"] = self.instance.criteria_status() if self.instance.pk else []
            context["problems"] = self.form.non_field_errors() if self.form is not None else []
            context["bands_unverified"] = getattr(self.instance, "bands_unverified", False)
            return context
