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
