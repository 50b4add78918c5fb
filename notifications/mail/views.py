"""The unsubscribe page of every mail: no login, the signed token is the proof (notifications.mail.unsubscribe).

GET only shows what the button will stop: link scanners and previews fetch
links, and must not unsubscribe anyone. POST (the button, or a mail client's
RFC 8058 one-click POST, which carries no CSRF token) turns that kind off.
"""

from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from notifications.mail import kinds, unsubscribe

INVALID = "This unsubscribe link isn't valid"


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe_page(request, token: str):
    found = unsubscribe.read(token)
    if found is None:  # never which part was wrong
        return render(request, "notifications/unsubscribe.html", {"invalid": INVALID}, status=400)
    person, kind = found
    if request.method == "POST":
        state = "done" if unsubscribe.unsubscribe(person, kind) else "already"
    else:
        state = "ask" if unsubscribe.is_subscribed(person, kind) else "already"
    context = {"state": state, "stops": kinds.describe(kind), "token": token}
    return render(request, "notifications/unsubscribe.html", context)
