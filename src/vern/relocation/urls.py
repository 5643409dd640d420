"""Relocation pages, included at ``saker/<int:case_pk>/flytting/``.

URLs carry only ids, never the destination (it is sensitive)."""

from django.urls import path

from vern.relocation import views

app_name = "relocation"

urlpatterns = [
    path("ny/", views.relocation_plan, name="plan"),
    path("<int:pk>/", views.relocation_detail, name="detail"),
    path("<int:pk>/vis-flyttemal/", views.relocation_reveal, name="reveal"),
    path("<int:pk>/politi/", views.relocation_police, name="police"),
    path("<int:pk>/politi/<str:end>/ny/", views.relocation_police_contact, name="police_contact"),
    path("<int:pk>/politi/<str:end>/koble/", views.relocation_police_link, name="police_link"),
    path("<int:pk>/politi/<str:end>/uten/", views.relocation_no_police, name="no_police"),
    path("<int:pk>/overlever/", views.relocation_hand_over, name="hand_over"),
    path("<int:pk>/brukerens-valg/", views.relocation_user_choice, name="user_choice"),
    path("<int:pk>/gjennomfort/", views.relocation_complete, name="complete"),
    path("<int:pk>/avbryt/", views.relocation_cancel, name="cancel"),
]
