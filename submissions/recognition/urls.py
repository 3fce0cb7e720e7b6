"""Web routes of submissions.recognition (included from cms/urls.py)."""

app_name = "recognition"
urlpatterns: list = []
