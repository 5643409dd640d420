"""URLs of OpenID Connect sign-in (vern.accounts.oidc_views), under /konto/kommune/."""

from django.urls import path

from vern.accounts import oidc_views

app_name = "oidc"

urlpatterns = [
    path("logg-inn/", oidc_views.start, name="start"),
    path("retur/", oidc_views.callback, name="callback"),
    path("invitasjon/<str:token>/", oidc_views.start_invitation, name="invitation"),
    path("bekreft/", oidc_views.start_step_up, name="step_up"),
    path("brukere/<int:pk>/", oidc_views.identities, name="identities"),
    path("brukere/<int:pk>/fjern/<int:identity_pk>/", oidc_views.unlink, name="unlink"),
]
