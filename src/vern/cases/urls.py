from django.urls import path

from vern.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("ny/", views.case_create, name="create"),
    path("revurdering/", views.dashboard, name="dashboard"),
    path("revurdering/regelendring/", views.rules_changed, name="rules_changed"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/endre/", views.case_update, name="update"),
    path("<int:pk>/ansvarlig/", views.case_responsible, name="responsible"),
    path("<int:pk>/avslutt/", views.case_close, name="close"),
    path("<int:pk>/gjenapne/", views.case_reopen, name="reopen"),
    path("<int:pk>/barn/", views.child_add, name="child_add"),
    path("<int:pk>/barn/feilregistrert/", views.child_remove, name="child_remove"),
    path("<int:pk>/hendelse/", views.trigger_add, name="trigger_add"),
]
