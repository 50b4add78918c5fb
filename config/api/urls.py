"""The API router: every /api/v1/ endpoint, in the order of SPEC §4."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from accounts import api as accounts_api

urlpatterns = [
    path("signup", accounts_api.SignupView.as_view(), name="api-signup"),
    path("login", accounts_api.LoginView.as_view(), name="api-login"),
    path("logout", accounts_api.LogoutView.as_view(), name="api-logout"),
    path("password-reset/request", accounts_api.PasswordResetRequestView.as_view(), name="api-password-reset"),
    path("password-reset/confirm", accounts_api.PasswordResetConfirmView.as_view(), name="api-password-reset-confirm"),
    path("users/<str:handle>", accounts_api.UserDetailView.as_view(), name="api-user"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
