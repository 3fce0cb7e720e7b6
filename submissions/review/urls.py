from django.urls import path

from submissions.review import views

app_name = "review"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("tham-dinh-nhieu/", views.appraise_many, name="appraise-many"),
    path("chuyen-nhieu/", views.forward_many, name="forward-many"),
    path("cong-nhan-nhieu/", views.recognise_many, name="recognise-many"),
    path("cong-khai-nhieu/", views.publish_many, name="publish-many"),
    path("ho-so/<int:pk>/", views.detail, name="detail"),
    path("ho-so/<int:pk>/lich-su.xlsx", views.history_export, name="history-export"),
    path("ho-so/<int:pk>/chuyen/", views.forward, name="forward"),
    path("ho-so/<int:pk>/tra-lai/", views.return_, name="return"),
    path("ho-so/<int:pk>/tham-dinh/", views.appraise, name="appraise"),
    path("ho-so/<int:pk>/dieu-chinh/", views.override, name="override"),
    path("ho-so/<int:pk>/cong-nhan/", views.recognise, name="recognise"),
    path("ho-so/<int:pk>/cong-khai/", views.publish, name="publish"),
]
