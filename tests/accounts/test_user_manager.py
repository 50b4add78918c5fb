"""`User.objects.get(pk=…)`, which loads the reader of every signed-in page, in SQL written once
(accounts/models.py ChirpUserManager.get): the same user, the same errors, one query."""

import pytest
from django.contrib.auth import get_user_model

from accounts.models import User
from tests.factories import UserFactory
from tweets.models import Tweet

pytestmark = pytest.mark.django_db


def _fields(user):
    return {f.attname: getattr(user, f.attname) for f in User._meta.concrete_fields}


def test_the_same_user_as_djangos_query(django_assert_num_queries):
    made = UserFactory(bio="hi", is_private=True)
    with django_assert_num_queries(1):
        found = User.objects.get(pk=made.pk)
    assert _fields(found) == _fields(User.objects.filter(pk=made.pk).get())
    assert not found._state.adding and found._state.db == "default"
    assert User.objects.get(pk=str(made.pk)) == made  # the session keeps the id as text


def test_a_missing_or_malformed_id_fails_as_djangos_does():
    with pytest.raises(User.DoesNotExist, match="User matching query does not exist"):
        User.objects.get(pk=2**62)
    with pytest.raises(User.DoesNotExist):
        User.objects.get(pk=None)
    for bad in ("abc", "1\x00", "1 OR 1=1"):
        with pytest.raises(ValueError, match="expected a number"):
            User.objects.get(pk=bad)
        with pytest.raises(ValueError, match="expected a number"):
            User.objects.filter(pk=bad).get()


def test_relations_and_other_lookups_keep_their_filters():
    ann, ben = UserFactory(), UserFactory()
    tweet = Tweet.objects.create(author=ann, text="hello @ann")
    tweet.mentions.add(ann)
    assert tweet.mentions.get(pk=ann.pk) == ann
    with pytest.raises(User.DoesNotExist):
        tweet.mentions.get(pk=ben.pk)  # not mentioned: the relation's filter still applies
    assert User.objects.get(username=ben.username) == ben
    assert User.objects.db_manager("default").get(pk=ben.pk) == ben


def test_signed_in_pages_load_their_reader_that_way(client):
    reader = UserFactory()
    client.force_login(reader)
    assert get_user_model()._default_manager.get(pk=reader.pk) == reader  # what ModelBackend.get_user calls
    page = client.get("/settings/profile")
    assert page.status_code == 200 and page.wsgi_request.user == reader
    reader.set_password("changed-password-123")
    reader.save()
    assert client.get("/settings/profile").wsgi_request.user.is_anonymous  # the session hash is still checked
