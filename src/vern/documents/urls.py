"""Per-case documents, included at ``saker/<int:case_pk>/dokumenter/`` (namespace documents)."""

from django.urls import path

from vern.documents import views

app_name = "documents"

urlpatterns = [
    path("", views.index, name="index"),
    path("informasjon.pdf", views.information_sheet, name="information_sheet"),
    path("samtykke/<int:consent_pk>.pdf", views.consent_form, name="consent_form"),
    path("samtykke/utskrift.pdf", views.consent_form_print, name="consent_form_print"),
    path(
        "vurdering/<int:assessment_pk>.pdf", views.assessment_explained, name="assessment_explained"
    ),
    path("sammendrag/", views.case_summary, name="case_summary"),
    path("innsyn/", views.access_report, name="access_report"),
    path("innsyn.pdf", views.access_report_pdf, name="access_report_pdf"),
]
