from django.urls import path

from vern.together import views

app_name = "together"

urlpatterns = [
    path("saker/<int:case_pk>/vurder-sammen/", views.open_mode, name="open"),
    path("saker/<int:case_pk>/vurder-sammen/koble/", views.pair_start, name="pair_start"),
    path(
        "saker/<int:case_pk>/vurder-sammen/koble/<int:pairing_pk>/",
        views.pair_status,
        name="pair_status",
    ),
    path("sammen/koble/", views.pair, name="pair"),
    path("sammen/", views.screen, name="screen"),
    path("sammen/pause/", views.lock, name="lock"),
    path("sammen/avslutt/", views.leave, name="leave"),
    path("sammen/sprak/", views.change_language, name="language"),
    path("sammen/<slug:step>/", views.step, name="step"),
]
