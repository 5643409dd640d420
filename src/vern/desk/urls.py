"""The desk's pages. ``urlpatterns`` are in the ``cases`` namespace (the names and paths are
those the rest of the app links to: ``cases:list``, ``cases:dashboard``, ``cases:rules_changed``,
``cases:detail``, ``cases:close``); vern/urls.py includes them before ``vern.cases.urls``.
``home_urlpatterns`` is the home page, ``desk:home`` at the site's root."""

from django.urls import path

from vern.desk import views

home_urlpatterns = [
    path("", views.home, name="home"),
]

urlpatterns = [
    path("", views.case_list, name="list"),
    path("revurdering/", views.dashboard, name="dashboard"),
    path("revurdering/regelendring/", views.rules_changed, name="rules_changed"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/avslutt/", views.case_close, name="close"),
]
