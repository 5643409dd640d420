"""Police contacts and deviations of one case, under ``saker/<case_pk>/politi/``."""

from django.urls import path

from vern.police import views

app_name = "police"

urlpatterns = [
    path("ny/", views.contact_create, name="create"),
    path("<int:pk>/", views.contact_detail, name="detail"),
    path("<int:pk>/endre/", views.contact_edit, name="edit"),
    path("<int:pk>/gjennomfort/", views.contact_complete, name="complete"),
    path("<int:pk>/represalier/", views.contact_reprisal_check, name="reprisal_check"),
    path("<int:pk>/informert/", views.contact_user_told, name="user_told"),
    path("avvik/ny/", views.deviation_create, name="deviation_create"),
]
