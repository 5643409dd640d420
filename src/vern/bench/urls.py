"""Benchmark endpoints, included at ``bench/`` only when ``VERN_BENCH_ENDPOINTS`` is true."""

from django.urls import path

from vern.bench import views

app_name = "bench"

urlpatterns = [
    path("floor/", views.floor, name="floor"),
]
