"""Admin routes of submissions.recognition (under /admin/submissions/recognition/, from wagtail_hooks)."""

app_name = "recognition_admin"
urlpatterns: list = []
