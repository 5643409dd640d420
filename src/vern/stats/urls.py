from django.urls import path

from vern.stats import views

app_name = "stats"

urlpatterns = [
    path("", views.centre_statistics, name="centre"),
    path("csv/", views.centre_statistics_csv, name="centre_csv"),
    path("nasjonal/", views.national_statistics, name="national"),
    path("nasjonal/csv/", views.national_statistics_csv, name="national_csv"),
]
