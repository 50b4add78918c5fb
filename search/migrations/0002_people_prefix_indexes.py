"""B-tree prefix indexes for people search: `LIKE 'JO%'` as a range scan, which trigram indexes
answer slowly when many names share the first letters. Raw SQL, like 0001."""

from django.db import migrations

from search.migrations import _sql

FORWARD = [
    "CREATE INDEX user_username_prefix ON accounts_user ((upper(username::text)) text_pattern_ops)",
    "CREATE INDEX user_name_prefix ON accounts_user ((upper(name::text)) text_pattern_ops)",
]
BACKWARD = ["DROP INDEX IF EXISTS user_name_prefix", "DROP INDEX IF EXISTS user_username_prefix"]


class Migration(migrations.Migration):
    dependencies = [("search", "0001_search_indexes")]

    operations = [migrations.RunPython(_sql.on_postgres(FORWARD), _sql.on_postgres(BACKWARD))]
