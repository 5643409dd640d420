"""Child welfare pages of a case (B1), included at ``saker/<int:case_pk>/barnevern/``."""

from django.urls import path

from vern.childwelfare import views

app_name = "childwelfare"

urlpatterns = [
    path("barn/<int:child_pk>/bekymring/", views.concern_create, name="concern_create"),
    path("bekymring/<int:pk>/avslutt/", views.concern_resolve, name="concern_resolve"),
    path("melding/", views.notification_create, name="notification_create"),
]
