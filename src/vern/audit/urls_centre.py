from django.urls import path

from vern.audit import views

app_name = "audit_centre"

urlpatterns = [
    path("", views.review, name="review"),
    path("hendelser/", views.events, name="events"),
]
