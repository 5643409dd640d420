"""The leader's list of pending child welfare concerns (B1), under ``senter/barnevern/``."""

from django.urls import path

from vern.childwelfare import views

app_name = "childwelfare_centre"

urlpatterns = [
    path("", views.leader_pending, name="pending"),
]
