"""The viewer's relations to a page's authors cost the page's size, not the viewer's follow list.

Every card list asks which of its authors the viewer follows, blocks or
mutes (RelationSet.query, folded into the viewer-facts query). Written as
`followee_id = ANY(...)`, PostgreSQL could answer from the (follower, id)
listing index, reading every follow the viewer has and filtering: 5 ms for
someone following 5,000 (docs/PERFORMANCE.md, "Where Redis timelines pay
off"). These tests read the plan PostgreSQL actually runs, generic
(as a prepared statement gets after a few runs) and custom.
"""

import json

import pytest
from django.db import connection

from accounts.models import User
from social.graph.models import Follow
from social.graph.visibility import RelationSet
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FOLLOWED = 600


@pytest.fixture
def heavy_follower(db):
    viewer = UserFactory(username="heavy")
    others = User.objects.bulk_create(
        [User(username=f"acct{n}", email=f"acct{n}@example.com", name=f"Account {n}") for n in range(FOLLOWED + 20)]
    )
    Follow.objects.bulk_create([Follow(follower=viewer, followee=other) for other in others[:FOLLOWED]])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE social_follow")
    return viewer, others


def follow_rows_read(sql: str, params: list, *, generic: bool) -> int:
    """Index entries PostgreSQL read from social_follow to answer the query (returned plus filtered out)."""
    numbered = sql
    for number in range(1, len(params) + 1):
        numbered = numbered.replace("%s", f"${number}", 1)
    with connection.cursor() as cursor:
        mode = "force_generic_plan" if generic else "force_custom_plan"
        cursor.execute("SELECT set_config('plan_cache_mode', %s, false)", [mode])
        cursor.execute(f"PREPARE relations_plan AS {numbered}")
        try:
            # EXECUTE's arguments cannot be bound parameters: written out (ids and arrays of ids only).
            arguments = ", ".join(f"'{value}'" if isinstance(value, str) else str(int(value)) for value in params)
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE relations_plan({arguments})")
            plan = cursor.fetchone()[0]
        finally:
            cursor.execute("DEALLOCATE relations_plan")
            cursor.execute("RESET plan_cache_mode")
    plan = json.loads(plan) if isinstance(plan, str) else plan

    def walk(node) -> int:
        here = 0
        if node.get("Relation Name") == "social_follow":
            loops = node.get("Actual Loops", 1)
            here = (node.get("Actual Rows", 0) + node.get("Rows Removed by Filter", 0)) * loops
        return here + sum(walk(child) for child in node.get("Plans", ()))

    return round(walk(plan[0]["Plan"]))


@pytest.mark.parametrize("generic", [True, False])
def test_following_check_reads_only_the_page_authors(heavy_follower, generic):
    viewer, others = heavy_follower
    page_authors = [u.pk for u in others[FOLLOWED - 10 : FOLLOWED + 10]]  # ten followed, ten not
    sql, params = RelationSet(viewer_id=viewer.pk).query(page_authors)
    assert follow_rows_read(sql, params, generic=generic) <= len(page_authors)


def test_the_answers_are_unchanged(heavy_follower):
    viewer, others = heavy_follower
    page_authors = [u.pk for u in others[FOLLOWED - 10 : FOLLOWED + 10]]
    relations = RelationSet.for_viewer(viewer, [*page_authors, viewer.pk, None])
    assert relations.following == set(page_authors[:10])
    assert relations.blocked == relations.blocked_by == relations.muted == set()
