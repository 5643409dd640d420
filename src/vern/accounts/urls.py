from django.urls import path

from vern.accounts import views

app_name = "accounts"

urlpatterns = [
    path("logg-inn/", views.LoginView.as_view(), name="login"),
    path("logg-ut/", views.logout, name="logout"),
    path("forlat/", views.quick_exit, name="quick_exit"),
    path("mfa/", views.mfa_verify, name="mfa"),
    path("mfa/oppsett/", views.mfa_setup, name="mfa_setup"),
    path("mfa/reservekoder/", views.backup_codes, name="backup_codes"),
    path("bekreft/", views.step_up, name="step_up"),
    path("invitasjon/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("passord/", views.PasswordResetView.as_view(), name="password_reset"),
    path("passord/sendt/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "passord/ny/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "passord/ferdig/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
