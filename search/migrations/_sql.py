"""Raw SQL steps for the search migrations."""


def on_postgres(statements: list[str]):
    def run(apps, schema_editor):
        for statement in statements:
            schema_editor.execute(statement)

    return run
