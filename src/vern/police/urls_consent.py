"""The consent page that reaches police contacts, in the consent namespace at
``saker/<case_pk>/samtykke/`` (``vern.urls`` joins it to ``vern.consent.urls``)."""

from django.urls import path

from vern.police import withdrawal_views

urlpatterns = [
    path("<int:pk>/trekk-tilbake/", withdrawal_views.consent_withdraw, name="withdraw"),
]
