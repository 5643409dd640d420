from django.urls import path

from vern.cases import views

app_name = "cases"

# The list, the dashboard, the rules-changed page, the case page and closing are the desk's
# (vern.desk.urls, included first in the same namespace by vern/urls.py).

urlpatterns = [
    path("ny/", views.case_create, name="create"),
    path("<int:pk>/endre/", views.case_update, name="update"),
    path("<int:pk>/ansvarlig/", views.case_responsible, name="responsible"),
    path("<int:pk>/gjenapne/", views.case_reopen, name="reopen"),
    path("<int:pk>/barn/", views.child_add, name="child_add"),
    path("<int:pk>/barn/feilregistrert/", views.child_remove, name="child_remove"),
    path("<int:pk>/hendelse/", views.trigger_add, name="trigger_add"),
]
