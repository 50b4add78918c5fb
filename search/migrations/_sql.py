"""Raw SQL steps that only PostgreSQL runs (SQLite, the embedded default, searches by substring)."""


def on_postgres(statements: list[str]):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run
