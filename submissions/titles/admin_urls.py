"""Admin routes of submissions.titles (under /admin/submissions/titles/, from wagtail_hooks)."""

app_name = "titles_admin"
urlpatterns: list = []
