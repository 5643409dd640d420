"""The desk's pages, in the ``cases`` namespace (the names and paths are those the rest of the
app links to: ``cases:list``, ``cases:dashboard``, ``cases:detail``, ``cases:close``).
vern/urls.py includes these before ``vern.cases.urls``."""

from django.urls import path

from vern.desk import views

urlpatterns = [
    path("", views.case_list, name="list"),
    path("revurdering/", views.dashboard, name="dashboard"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/avslutt/", views.case_close, name="close"),
]
