"""The leader's review of deviations and duty-to-avert contacts, under ``senter/politi/``."""

from django.urls import path

from vern.police import views

app_name = "police_centre"

urlpatterns = [
    path("", views.leader_overview, name="overview"),
    path("avvik/<int:pk>/", views.deviation_close, name="deviation_close"),
    path("kontakt/<int:pk>/gjennomgatt/", views.contact_review, name="contact_review"),
]
