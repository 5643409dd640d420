"""Centre-wide pages for leaders, included at senter/vurdering/."""

from django.urls import path

from vern.assessments import views

app_name = "assessments_centre"

urlpatterns = [
    path("innstillinger/", views.centre_settings, name="settings"),
]
