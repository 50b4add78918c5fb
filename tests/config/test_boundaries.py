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
        others = _other_apps_modules(module, tree)
        for node in ast.walk(tree):
            private = isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")
            if private and isinstance(node.value, ast.Name) and node.value.id in others:
                found.append(f"{module}: {others[node.value.id]}.{node.attr}")
    assert found == []


def _is_module(dotted: str) -> bool:
    path = ROOT.joinpath(*dotted.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def _other_apps_modules(module: str, tree) -> dict[str, str]:
    """Names bound to another app's modules in `module`: alias -> dotted module."""
    bound = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in APPS:
            for alias in node.names:
                dotted = f"{node.module}.{alias.name}"
                if _is_module(dotted) and _app_of(dotted) != _app_of(module):
                    bound[alias.asname or alias.name] = dotted
    return bound


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


# Imports inside functions, each for a reason other than dodging a cycle.
LATE_IMPORTS = {
    ("config.apps", "config.wiring"),  # wiring imports every app: only once the app registry is ready
    ("config.run", "config.settings"),  # the supervisor reads one constant without configuring Django first
    ("accounts.apps", "accounts.services"),  # an AppConfig module loads before the app's models
    ("accounts.apps", "accounts.receivers"),  # the same: the security log's receivers use the models
    ("accounts.services", "accounts.forms"),  # allauth's forms read settings on import
    ("config.settings", "accounts.oauth"),  # DOT takes PKCE_REQUIRED as a callable; settings load before apps
}


def test_no_import_inside_a_function_dodges_a_cycle():
    late = set()
    for module, tree in _modules():
        for function in ast.walk(tree):
            if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in APPS:
                    for alias in node.names:
                        dotted = f"{node.module}.{alias.name}"
                        late.add((module, dotted if _is_module(dotted) else node.module))
                elif isinstance(node, ast.Import):
                    late |= {(module, a.name) for a in node.names if a.name.split(".")[0] in APPS}
    assert late == LATE_IMPORTS
