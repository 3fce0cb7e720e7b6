"""Web routes of submissions.registration (included from cms/urls.py)."""

app_name = "registration"
urlpatterns: list = []
