from django.urls import path

from vern.centres import views

app_name = "centres"

urlpatterns = [
    path("ansatte/", views.staff, name="staff"),
    path("sentre/", views.centres, name="list"),
    path("inviter/", views.invite, name="invite"),
    path("brukere/<int:pk>/deaktiver/", views.deactivate, name="deactivate"),
    path("brukere/<int:pk>/tilbakestill/", views.start_reset, name="reset"),
]
