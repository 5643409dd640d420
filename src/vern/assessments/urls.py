"""Per-case pages, included at saker/<case_pk>/vurdering/."""

from django.urls import path

from vern.assessments import views

app_name = "assessments"

urlpatterns = [
    path("", views.assessment_history, name="history"),
    path("ny/", views.assessment_create, name="create"),
    path("<int:pk>/", views.assessment_detail, name="detail"),
    path("kartlegging/", views.mapping_list, name="mappings"),
    path("kartlegging/ny/", views.mapping_create, name="mapping_create"),
    path("kartlegging/<int:pk>/", views.mapping_detail, name="mapping_detail"),
]
