"""Web routes of submissions.titles (included from cms/urls.py)."""

app_name = "titles"
urlpatterns: list = []
