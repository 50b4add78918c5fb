from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self):
        from allauth.account import signals

        # allauth gives the session a new key after a password change, and only this
        # signal comes after that, with the request: the session's live sockets follow it.
        signals.password_changed.connect(_session_moved, dispatch_uid="accounts.session_moved")
        signals.password_set.connect(_session_moved, dispatch_uid="accounts.session_moved.set")


def _session_moved(sender, request, user, **kwargs):
    from accounts import services

    services.session_moved(request=request)
