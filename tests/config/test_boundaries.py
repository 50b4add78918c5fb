"""Import rules that import-linter can't express (the rest are in pyproject.toml, run by `make lint`)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ["config", "accounts", "tweets", "social", "timelines", "notifications", "search"]


def _app_of(module: str) -> str:
    parts = module.split(".")
    if parts[0] == "social" and len(parts) > 1:
        return ".".join(parts[:2])
    if parts[:2] == ["config", "kernel"]:
        return "config.kernel"
    return parts[0]


def _modules():
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            yield name, ast.parse(path.read_text(), str(path))


def test_no_app_imports_another_apps_private_names():
    found = []
    for module, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in APPS:
                if _app_of(node.module) == _app_of(module):
                    continue
                found += [f"{module}: from {node.module} import {a.name}" for a in node.names if a.name.startswith("_")]
    assert found == []


def test_every_task_a_service_names_is_registered():
    from config.kernel.tasks import task_named

    names = set()
    for _, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and node.args and isinstance(node.args, list):
                func = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                if "enqueue" in func:
                    for argument in node.args[:2]:
                        if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                            names.add(argument.value)
    assert "notifications.tasks.push_unread" in names  # the scan sees them
    for name in names:
        assert task_named(name).name == name
