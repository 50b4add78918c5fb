"""The bearer-token check builds its user from one raw row: it must be the user the ORM would load."""

import pytest
from django.db import models
from rest_framework.test import APIClient

from accounts.models import User
from config.kernel.api.auth import BearerTokenAuthentication
from tests.tweets.helpers import post

pytestmark = pytest.mark.django_db


def test_the_home_timeline_answers_every_time_with_a_token(user, token_for):
    """Regression: with the raw row's naive datetimes the first call answered 200 and the next ones 500."""
    post(user, "my own post")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(user)}")
    for _ in range(5):
        response = client.get("/api/v1/timeline/home")
        assert response.status_code == 200
        assert [tweet["text"] for tweet in response.json()["tweets"]] == ["my own post"]


def test_the_token_user_equals_the_orm_user(user, token_for):
    token = token_for(user)
    found, _ = BearerTokenAuthentication().authenticate_credentials(token.encode())
    loaded = User.objects.get(pk=user.pk)
    for field in User._meta.concrete_fields:
        value = getattr(found, field.attname)
        assert value == getattr(loaded, field.attname), field.name
        if isinstance(field, models.DateTimeField) and value is not None:
            assert value.tzinfo is not None, field.name  # aware, as USE_TZ wants
