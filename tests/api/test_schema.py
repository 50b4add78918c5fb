import pytest

pytestmark = pytest.mark.django_db


def test_schema_answers_with_the_contract(client):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    for path in ("/api/v1/signup", "/api/v1/login", "/api/v1/logout", "/api/v1/users/{handle}",
                 "/api/v1/password-reset/request", "/api/v1/password-reset/confirm"):  # fmt: skip
        assert path in schema["paths"], path
    assert schema["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    signup = schema["paths"]["/api/v1/signup"]["post"]
    assert any(p["name"] == "Idempotency-Key" for p in signup["parameters"])


def test_docs_page(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    assert b"swagger" in response.content.lower()


def test_every_operation_documents_its_errors(client):
    """The error body and the statuses every operation can answer; the fuzz (test_schema_fuzz) checks the rest."""
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    error = schema["components"]["schemas"]["Error"]
    assert error["required"] == ["error"] and set(error["properties"]) == {"error", "fields"}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            where = f"{method.upper()} {path}"
            assert "204" not in responses, where  # a DELETE here answers a body
            for status in ("400", "429"):
                body = responses[status]["content"]["application/json"]["schema"]
                assert body == {"$ref": "#/components/schemas/Error"}, where
            assert responses["429"]["headers"]["Retry-After"]["required"] is True, where
            if "{" in path:
                assert "404" in responses, where
            if "requestBody" in operation:
                assert "415" in responses, where
            if any(p["name"] == "Idempotency-Key" for p in operation.get("parameters", [])):
                assert "409" in responses, where


def test_lists_document_their_cursor_and_limit(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    parameters = {p["name"]: p["schema"] for p in schema["paths"]["/api/v1/notifications"]["get"]["parameters"]}
    assert parameters["limit"] == {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}
    assert parameters["cursor"]["pattern"] == "^([1-9][0-9]{0,18})?$"
