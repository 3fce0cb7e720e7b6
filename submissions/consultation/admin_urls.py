"""Admin routes of submissions.consultation (under /admin/submissions/consultation/, from wagtail_hooks)."""

app_name = "consultation_admin"
urlpatterns: list = []
