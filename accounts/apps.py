from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self):
        from allauth.account import signals
        from allauth.mfa import signals as mfa_signals
        from django.contrib.auth import signals as auth_signals

        from accounts import receivers

        # allauth gives the session a new key after a password change, and only this
        # signal comes after that, with the request: the session's live sockets follow it.
        signals.password_changed.connect(_session_moved, dispatch_uid="accounts.session_moved")
        signals.password_set.connect(_session_moved, dispatch_uid="accounts.session_moved.set")
        # The security log (Settings > Security). Page logins only: the API's login records its own.
        signals.user_logged_in.connect(receivers.logged_in, dispatch_uid="accounts.security.login")
        # Sessions by person: Django's own login signal, which every session login sends.
        auth_signals.user_logged_in.connect(receivers.session_signed_in, dispatch_uid="accounts.security.session")
        for name in ("authenticator_added", "authenticator_removed", "authenticator_reset", "authenticator_used",
                     "authentication_failed"):  # fmt: skip
            getattr(mfa_signals, name).connect(getattr(receivers, name), dispatch_uid=f"accounts.security.{name}")


def _session_moved(sender, request, user, **kwargs):
    from accounts import services

    services.session_moved(request=request)
