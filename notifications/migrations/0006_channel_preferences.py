"""Notification preferences move from {type: false} (the in-app switch alone) to one object
per channel (notifications.preferences), so push and email can sit beside it."""

from django.db import migrations

NEW_KEYS = {"app", "push", "email", "onlyFromFollowing", "weeklyDigest"}


def to_channels(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for user in User.objects.exclude(notification_prefs={}).only("pk", "notification_prefs").iterator():
        prefs = user.notification_prefs or {}
        old = {k: v for k, v in prefs.items() if k not in NEW_KEYS}
        if not old:
            continue
        new = {k: v for k, v in prefs.items() if k in NEW_KEYS}
        app = {verb: False for verb, on in old.items() if on is False}
        if app:
            new["app"] = {**new.get("app", {}), **app}
        User.objects.filter(pk=user.pk).update(notification_prefs=new)


def to_switches(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for user in User.objects.exclude(notification_prefs={}).only("pk", "notification_prefs").iterator():
        off = (user.notification_prefs or {}).get("app", {})
        User.objects.filter(pk=user.pk).update(notification_prefs={v: False for v, on in off.items() if on is False})


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0005_polls"),
        ("accounts", "0012_autoplay"),
    ]

    operations = [migrations.RunPython(to_channels, to_switches)]
