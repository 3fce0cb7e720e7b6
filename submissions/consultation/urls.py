"""Web routes of submissions.consultation (included from cms/urls.py)."""

app_name = "consultation"
urlpatterns: list = []
