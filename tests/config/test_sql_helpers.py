"""config/kernel/sql.py: the hand-written queries' helpers, on the real database."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from config.kernel.sql import insert_once, row_exists, select_rows
from notifications.models import Notification
from social.graph.models import Follow
from tests.factories import UserFactory
from tweets.models import Tweet

pytestmark = pytest.mark.django_db


def test_insert_once_adds_a_row_the_first_time_only():
    ann, bob = UserFactory(), UserFactory()
    pk = insert_once(Follow, follower_id=ann.pk, followee_id=bob.pk, created_at=timezone.now())
    assert pk == Follow.objects.get(follower=ann, followee=bob).pk
    assert insert_once(Follow, follower_id=ann.pk, followee_id=bob.pk, created_at=timezone.now()) is None
    assert not insert_once(Follow, follower_id=ann.pk, followee_id=bob.pk, created_at=timezone.now())
    assert Follow.objects.filter(follower=ann, followee=bob).count() == 1
    # The transaction is still usable after the repeat: no error was raised and caught.
    assert Follow.objects.count() == 1


def test_row_exists_matches_every_condition_in_one_query(django_assert_num_queries):
    ann, bob, cy = UserFactory(), UserFactory(), UserFactory()
    Follow.objects.create(follower=ann, followee=bob)
    with django_assert_num_queries(1):
        assert row_exists(Follow, follower_id=ann.pk, followee_id=bob.pk)
    assert not row_exists(Follow, follower_id=bob.pk, followee_id=ann.pk)  # the other way round
    assert not row_exists(Follow, follower_id=ann.pk, followee_id=cy.pk)
    assert row_exists(Follow, follower_id=ann.pk) and not row_exists(Follow, follower_id=cy.pk)


def test_insert_once_still_refuses_what_breaks_a_check():
    ann = UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_once(Follow, follower_id=ann.pk, followee_id=ann.pk, created_at=timezone.now())  # follow_not_self


def test_insert_once_respects_partial_unique_indexes():
    ann, bob = UserFactory(), UserFactory()
    tweet = Tweet.objects.create(author=bob, text="hi")
    values = {"recipient_id": bob.pk, "actor_id": ann.pk, "verb": "like", "created_at": timezone.now()}
    assert insert_once(Notification, **values, tweet_id=tweet.pk)
    assert insert_once(Notification, **values, tweet_id=tweet.pk) is None  # notify_once (tweet set)
    assert insert_once(Notification, **{**values, "verb": "follow"}, tweet_id=None)
    assert insert_once(Notification, **{**values, "verb": "follow"}, tweet_id=None) is None  # notify_once_no_tweet
    assert Notification.objects.count() == 2


def test_select_rows_loads_row_and_parent_as_the_orm_would(django_assert_num_queries):
    bob = UserFactory(notification_prefs={"app": {"like": False}})
    tweet = Tweet.objects.create(author=bob, text="hello")
    with django_assert_num_queries(1):
        [found] = select_rows(Tweet, "author", id=tweet.pk)
        assert found.author.notification_prefs == {"app": {"like": False}}  # a JSON column, decoded
    orm = Tweet.objects.select_related("author").get(pk=tweet.pk)
    for field in Tweet._meta.concrete_fields:
        assert getattr(found, field.attname) == getattr(orm, field.attname), field.name
    for field in type(bob)._meta.concrete_fields:
        assert getattr(found.author, field.attname) == getattr(orm.author, field.attname), field.name
    assert not found._state.adding and found.author._state.db == "default"


def test_select_rows_finds_nothing_for_a_missing_row():
    assert select_rows(Tweet, "author", id=10**12) == []


def test_select_rows_without_a_parent_matches_every_condition():
    ann = UserFactory()
    UserFactory(is_active=False)
    assert [u.pk for u in select_rows(type(ann), id=ann.pk, is_active=True)] == [ann.pk]
    assert select_rows(type(ann), id=ann.pk, is_active=False) == []


def _raw_row(model, fields, pk):
    """The row as a hand-written query returns it (JSON columns as text)."""
    from django.db import connection

    columns = ", ".join(f.column for f in fields)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {model._meta.db_table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()


@pytest.mark.parametrize("deferred", [False, True])
def test_row_shape_builds_what_from_db_builds(deferred):
    from django.db import connection

    from config.kernel.sql import RowShape

    bob = UserFactory(bio="hi", avatar="avatars/b.png")
    fields = tuple(f for f in type(bob)._meta.concrete_fields if not (deferred and f.name in {"bio", "email"}))
    names = [f.attname for f in fields]
    row = _raw_row(type(bob), fields, bob.pk)
    made = RowShape(type(bob), fields, names).build(row, connection)
    orm = type(bob).objects.only(*(f.name for f in fields)).get(pk=bob.pk)
    assert type(made) is type(orm)
    assert {k: v for k, v in made.__dict__.items() if k != "_state"} == {
        k: v for k, v in orm.__dict__.items() if k != "_state"
    }
    assert (made._state.adding, made._state.db) == (orm._state.adding, orm._state.db) == (False, "default")
    assert made.get_deferred_fields() == orm.get_deferred_fields()
    assert made.avatar.name == "avatars/b.png" and made.avatar.instance is made  # the file descriptor still wraps
    if deferred:
        assert made.bio == "hi"  # loaded on access, as for any deferred field
    made.bio = "changed"
    made.save(update_fields=["bio"])
    assert type(bob).objects.get(pk=bob.pk).bio == "changed"


def test_row_shape_falls_back_to_from_db_when_init_signals_listen():
    from django.db import connection
    from django.db.models.signals import post_init

    from config.kernel.sql import RowShape

    seen = []

    def note(sender, instance, **kwargs):
        seen.append(instance)

    tweet = Tweet.objects.create(author=UserFactory(), text="hi")
    fields = tuple(Tweet._meta.concrete_fields)
    names = [f.attname for f in fields]
    row = _raw_row(Tweet, fields, tweet.pk)
    post_init.connect(note, sender=Tweet)
    try:
        made = RowShape(Tweet, fields, names).build(row, connection)
    finally:
        post_init.disconnect(note, sender=Tweet)
    assert seen == [made] and made.text == "hi"


# --- insert_instance: save(force_insert=True) in SQL written once ---------------------------------


def _row(model, pk):
    found = model.objects.get(pk=pk)
    return {f.attname: getattr(found, f.attname) for f in model._meta.concrete_fields}


def test_insert_instance_writes_what_save_writes(django_assert_num_queries):
    from config.kernel.sql import insert_instance

    author = UserFactory()
    parent = Tweet.objects.create(author=author, text="parent")
    made = []
    for write in (lambda t: t.save(force_insert=True), insert_instance):
        tweet = Tweet(author=author, text="nul-free \u00e9 text", entities=[{"type": "hashtag", "tag": "x"}],
                      reply_to=parent, content_warning="cw", sensitive=True)  # fmt: skip
        tweet.conversation_id = parent.pk
        with django_assert_num_queries(1):
            write(tweet)
        assert not tweet._state.adding and tweet._state.db == "default"
        made.append(_row(Tweet, tweet.pk))
    first, second = made
    assert {k: v for k, v in first.items() if k not in ("id", "created_at")} == {
        k: v for k, v in second.items() if k not in ("id", "created_at")
    }
    assert second["entities"] == [{"type": "hashtag", "tag": "x"}]


def test_insert_instance_refuses_what_save_refuses():
    from config.kernel.sql import insert_instance

    author = UserFactory()
    unsaved_parent = Tweet(author=author, text="never saved")
    unsaved_parent.pk = None
    tweet = Tweet(author=author, text="reply", reply_to=unsaved_parent)
    with pytest.raises(ValueError, match="unsaved related object"):
        insert_instance(tweet)
    twice = Tweet(author=author, text="once")
    insert_instance(twice)
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_instance(Tweet(pk=twice.pk, author=author, text="same id"))


def test_insert_instance_takes_djangos_way_where_a_save_does_more(django_assert_num_queries):
    from django.db.models.signals import pre_save

    from config.kernel.sql import _plainly_inserted, insert_instance
    from tweets.models import Draft

    assert _plainly_inserted(Tweet)
    assert not _plainly_inserted(Draft)  # `link_card` has a database default
    seen = []

    def listener(sender, instance, **kwargs):
        seen.append(instance.text)

    pre_save.connect(listener, sender=Tweet)
    try:
        assert not _plainly_inserted(Tweet)
        insert_instance(Tweet(author=UserFactory(), text="heard"))
    finally:
        pre_save.disconnect(listener, sender=Tweet)
    assert seen == ["heard"]
