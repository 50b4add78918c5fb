from config.kernel import request_context


def test_each_request_gets_an_id_and_its_address_is_recorded(client, settings):
    seen = {}

    def spy(request):
        from django.http import HttpResponse

        seen["id"], seen["ip"] = request_context.request_id.get(), request_context.client_ip.get()
        return HttpResponse("ok")

    middleware = request_context.RequestContextMiddleware(spy)
    from django.test import RequestFactory

    response = middleware(RequestFactory().get("/", REMOTE_ADDR="203.0.113.9"))
    assert response["X-Request-ID"] == seen["id"] and len(seen["id"]) == 32 and seen["ip"] == "203.0.113.9"
    assert request_context.request_id.get() is None  # reset after the request

    kept = middleware(RequestFactory().get("/", HTTP_X_REQUEST_ID="abc-123-def-456"))
    assert kept["X-Request-ID"] == "abc-123-def-456"
    refused = middleware(RequestFactory().get("/", HTTP_X_REQUEST_ID="<script>"))
    assert refused["X-Request-ID"] != "<script>"

    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    middleware(RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7, 10.0.0.2"))
    assert seen["ip"] == "10.0.0.2"  # one trusted proxy: the address it saw
