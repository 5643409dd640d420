from django.conf import settings
from django.urls import include, path

from vern.api.routes import api_urls
from vern.cases import urls as cases_urls
from vern.consent import urls as consent_urls
from vern.core import views as core_views
from vern.desk import urls as desk_urls
from vern.police import urls_consent as police_consent_urls

urlpatterns = [
    path("", include((desk_urls.home_urlpatterns, "desk"))),
    path("", include("vern.core.urls")),
    # OpenID Connect sign-in (issue 18; 404 while VERN_OIDC_ISSUER is unset).
    path("konto/kommune/", include("vern.accounts.oidc_urls")),
    path("konto/", include("vern.accounts.urls")),
    path("senter/", include("vern.centres.urls")),
    # One namespace "cases": the desk's pages (list, dashboard, rules changed, case page,
    # closing; issue 14) and the cases app's own.
    path("saker/", include(([*desk_urls.urlpatterns, *cases_urls.urlpatterns], "cases"))),
    path("saker/<int:case_pk>/vurdering/", include("vern.assessments.urls")),
    path("senter/vurdering/", include("vern.assessments.urls_centre")),
    path("saker/<int:case_pk>/flytting/", include("vern.relocation.urls")),
    path("saker/<int:case_pk>/dokumenter/", include("vern.documents.urls")),
    path("saker/<int:case_pk>/politi/", include("vern.police.urls")),
    # One namespace "consent": the consent pages and the withdrawal page, which is police's
    # because it reaches the police contacts under the consent (issue 16).
    path(
        "saker/<int:case_pk>/samtykke/",
        include(([*consent_urls.urlpatterns, *police_consent_urls.urlpatterns], "consent")),
    ),
    path("saker/<int:case_pk>/barnevern/", include("vern.childwelfare.urls")),
    path("senter/politi/", include("vern.police.urls_centre")),
    path("senter/barnevern/", include("vern.childwelfare.urls_centre")),
    path("senter/tilgang/", include("vern.audit.urls_centre")),
    path("statistikk/", include("vern.stats.urls")),
    path("oppgaver/", include("vern.reminders.urls")),
    path("konto/api-nokler/", include("vern.api.urls")),
    path("konto/passnokler/", include("vern.accounts.passkey_urls")),
    path("api/v1/", api_urls()),
    path("", include("vern.together.urls")),
    path("i18n/setlang/", core_views.set_language, name="set_language"),
]

if settings.VERN_BENCH_ENDPOINTS:  # the load benchmark's framework floor (docs/performance.md)
    urlpatterns.append(path("bench/", include("vern.bench.urls")))

handler404 = "vern.core.views.error_404"
handler500 = "vern.core.views.error_500"
handler403 = "vern.core.views.error_403"
