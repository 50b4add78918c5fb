from allauth.account.adapter import DefaultAccountAdapter

from accounts import services
from config.request_context import address_of


class AccountAdapter(DefaultAccountAdapter):
    """allauth's hooks, pointed at our services so pages and API share one path."""

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.name = (form.cleaned_data.get("name") or "").strip() or user.username
        if commit:
            user.save()
        return user

    def set_password(self, user, password) -> None:
        # Both the reset and the change flows land here, in pages and API alike.
        services.password_set(user=user, password=password)

    def get_client_ip(self, request) -> str:
        # allauth's page rate limits (sign-up, login) count the same address as the
        # API throttles and abuse limits: REMOTE_ADDR, or behind NUM_PROXIES trusted
        # proxies the one they saw. allauth's own default would see only the proxy.
        return address_of(request)
