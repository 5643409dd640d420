"""Consent pages of one case, included at saker/<case_pk>/samtykke/ (app_name "consent").

The withdrawal page (``consent:withdraw``) is police's (``vern.police.urls_consent``): it
reaches the police contacts under the consent; ``vern.urls`` joins both lists."""

from django.urls import path

from vern.consent import views

app_name = "consent"

urlpatterns = [
    path("informasjon/offentlig-patale/", views.inform_prosecution, name="inform_prosecution"),
    path("informasjon/politiets-hjelp/", views.inform_police_help, name="inform_police_help"),
    path("ny/", views.consent_create, name="create"),
    path("nei/", views.refusal, name="refusal"),
    path("<int:pk>/signert-skjema/", views.signed_file_upload, name="upload"),
    path("<int:pk>/signert-skjema/<int:file_pk>/", views.signed_file_download, name="download"),
]
