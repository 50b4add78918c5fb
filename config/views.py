from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from config.kernel.api.errors import is_api_request, json_not_found, json_server_error
from config.kernel.redis import probe, probe_cluster


@never_cache
@require_GET
def healthz(request):
    """The state of the database and Redis; 503 when either is down.

    Within a second whatever the fault: Redis is asked once, without retries,
    with a 0.4 s timeout, and not at all while config/kernel/redis.py's breaker says
    it failed in the last seconds.
    """
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as error:  # any failure means "down" to a probe
        checks["database"] = f"error: {type(error).__name__}"
    try:
        probe()
        checks["redis"] = "ok"
    except Exception as error:
        checks["redis"] = f"error: {type(error).__name__}"
    if settings.REDIS_CLUSTER_URL:  # timelines and the rest; REDIS_URL above is then the broker's
        try:
            probe_cluster(settings.REDIS_CLUSTER_URL)
            checks["redis_cluster"] = "ok"
        except Exception as error:
            checks["redis_cluster"] = f"error: {type(error).__name__}"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)


def page_not_found(request, exception=None):
    if is_api_request(request):
        return json_not_found(request, exception)
    return render(request, "404.html", status=404)


def server_error(request):
    if is_api_request(request):
        return json_server_error(request)
    return render(request, "500.html", status=500)


def permission_denied(request, exception=None):
    return render(request, "403.html", {"reason": str(exception or "")}, status=403)


def favicon(request):
    # Resolved per request: the static manifest may not exist when URLs load.
    return redirect(static("icons/logo.svg"), permanent=True)
