from django.conf import settings


def site(request) -> dict:
    """Settings the base layout needs."""
    return {"LIVE_EVENTS_URL": settings.LIVE_EVENTS_URL}
