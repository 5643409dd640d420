"""Passkeys (issue 18): the person's own list, add and remove, and the WebAuthn ceremonies."""

from django.urls import path

from vern.accounts import passkey_views as views

app_name = "passkeys"

urlpatterns = [
    path("", views.passkey_list, name="list"),
    path("ny/", views.passkey_add, name="add"),
    path("<int:pk>/fjern/", views.passkey_remove, name="remove"),
    path("registrering/start/", views.register_begin, name="register_begin"),
    path("registrering/fullfor/", views.register_complete, name="register_complete"),
    path("bruk/start/", views.authentication_begin, name="auth_begin"),
    path("bruk/innlogging/", views.login_complete, name="login_complete"),
    path("bruk/bekreft/", views.step_up_complete, name="step_up_complete"),
]
