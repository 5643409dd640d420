from django.urls import path

from vern.reminders import views

app_name = "reminders"

urlpatterns = [
    path("", views.tasks, name="tasks"),
    path("innstillinger/", views.reminder_settings, name="settings"),
]
