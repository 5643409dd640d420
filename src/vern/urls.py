from django.urls import include, path

from vern.core import views as core_views

urlpatterns = [
    path("", include("vern.core.urls")),
    path("konto/", include("vern.accounts.urls")),
    path("senter/", include("vern.centres.urls")),
    path("saker/", include("vern.cases.urls")),
    path("saker/<int:case_pk>/flytting/", include("vern.relocation.urls")),
    path("i18n/setlang/", core_views.set_language, name="set_language"),
]

handler404 = "vern.core.views.error_404"
handler500 = "vern.core.views.error_500"
handler403 = "vern.core.views.error_403"
