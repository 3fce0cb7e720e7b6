from django.urls import path

from submissions.work import views

urlpatterns = [path("", views.my_work, name=views.URL_NAME)]
