"""Every environment variable the settings read is listed in .env.example, with a comment: the next variable
added to the settings cannot be forgotten there. Read from the source (cms/settings/*.py and the modules the
settings hand ``os.environ`` to, such as cms.storage), not from a list kept by hand."""

import ast
import importlib.util
import re
from pathlib import Path

from django.conf import settings

SETTINGS_DIR = Path(settings.BASE_DIR) / "cms" / "settings"
ENV_EXAMPLE = Path(settings.BASE_DIR) / ".env.example"
NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")


def is_environ(node: ast.AST) -> bool:
    """``os.environ`` or a parameter named ``environ`` (a function given os.environ)."""
    return (isinstance(node, ast.Attribute) and node.attr == "environ") or (
        isinstance(node, ast.Name) and node.id == "environ"
    )


def first_string(call: ast.Call) -> str | None:
    if call.args and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str):
        return call.args[0].value
    return None


def variables_read(tree: ast.AST) -> set[str]:
    """``environ.get("X")``, ``environ["X"]``, ``os.getenv("X")`` and helpers named ``env_*("X")``."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and is_environ(node.value) and isinstance(node.slice, ast.Constant):
            found.add(node.slice.value)
        elif isinstance(node, ast.Call):
            func = node.func
            reads = (
                (isinstance(func, ast.Attribute) and func.attr == "get" and is_environ(func.value))
                or (isinstance(func, ast.Attribute) and func.attr == "getenv")
                or (isinstance(func, ast.Name) and func.id.startswith("env_"))
            )
            if reads and (name := first_string(node)):
                found.add(name)
    return {name for name in found if NAME.match(name)}


def modules_given_environ(tree: ast.AST) -> set[Path]:
    """First-party modules whose functions the settings call with ``os.environ``."""
    imported = {
        alias.asname or alias.name: node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("cms.")
        for alias in node.names
    }
    paths = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in imported:
            if any(is_environ(argument) for argument in node.args):
                paths.add(Path(importlib.util.find_spec(imported[node.func.id]).origin))
    return paths


def settings_variables() -> set[str]:
    names: set[str] = set()
    for path in sorted(SETTINGS_DIR.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names |= variables_read(tree)
        for module in modules_given_environ(tree):
            names |= variables_read(ast.parse(module.read_text(encoding="utf-8")))
    return names


def documented() -> dict[str, bool]:
    """Each variable of .env.example, and whether a comment line precedes it (directly or in its group)."""
    entries, commented = {}, False
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            commented = True
        elif not stripped:
            commented = False
        else:
            name = stripped.split("=", 1)[0].strip()
            entries[name] = commented
    return entries


def test_the_scan_finds_the_settings_variables():
    found = settings_variables()
    # One of each kind of read: os.environ.get, os.environ[...], env_list, and the storage module's reads.
    assert {"DJANGO_SECRET_KEY", "REDIS_URL", "DJANGO_ALLOWED_HOSTS", "LOG_FORMAT"} <= found
    assert "S3_BUCKET" in found


def test_every_settings_variable_is_in_env_example_with_a_comment():
    entries = documented()
    missing = sorted(settings_variables() - set(entries))
    assert not missing, f"add these to .env.example, each with a comment: {missing}"
    uncommented = sorted(name for name, commented in entries.items() if not commented)
    assert not uncommented, f"give these a comment in .env.example: {uncommented}"
