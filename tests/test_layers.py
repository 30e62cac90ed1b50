"""The layers stay apart: the domain knows neither Textual nor TinyDB; the store and the
command line (without the app) never load Textual.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import alliance_tui

PACKAGE = Path(alliance_tui.__file__).parent


def imported_modules(path: Path) -> set[str]:
    """Every module a source file imports, at any depth (inside functions too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute | ast.Name)
            and getattr(node.func, "attr", getattr(node.func, "id", None)) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.add(node.args[0].value)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "__import__"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            found.add(str(node.args[0].value))
    return found


def top_level(modules: set[str]) -> set[str]:
    return {name.split(".")[0] for name in modules}


def sources(folder: str) -> list[Path]:
    files = sorted((PACKAGE / folder).rglob("*.py"))
    assert files, f"no sources found in {PACKAGE / folder}"
    return files


def test_the_scan_sees_imports() -> None:
    """The scanner itself: it must find the imports it is looking for."""
    store = imported_modules(PACKAGE / "store" / "store.py")
    assert "tinydb" in top_level(store)
    sample = PACKAGE.parent / "tests" / "test_layers.py"
    assert {"ast", "subprocess"} <= imported_modules(sample)


@pytest.mark.parametrize("path", sources("domain"), ids=lambda p: p.name)
def test_domain_imports_neither_textual_nor_tinydb(path: Path) -> None:
    forbidden = top_level(imported_modules(path)) & {"textual", "tinydb"}
    assert not forbidden, f"{path.name} imports {sorted(forbidden)}"
    text = path.read_text(encoding="utf-8")
    for word in ("textual", "tinydb"):
        assert f"import {word}" not in text and f"from {word}" not in text


@pytest.mark.parametrize("path", sources("store"), ids=lambda p: p.name)
def test_store_does_not_import_textual(path: Path) -> None:
    forbidden = top_level(imported_modules(path)) & {"textual"}
    assert not forbidden, f"{path.name} imports {sorted(forbidden)}"


def test_store_and_domain_do_not_reach_into_the_ui() -> None:
    """Neither layer imports the app, its screens, widgets or dialogs (relative imports too)."""
    ui = {"app", "screens", "widgets", "dialogs", "keys", "clipboard", "demo"}
    for folder in ("domain", "store"):
        for path in sources(folder):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.ImportFrom) and node.level:
                    names = {(node.module or "").split(".")[0]} | {a.name for a in node.names}
                    if node.level >= 2 or folder == "store":
                        assert not names & ui, f"{path} imports {node.module} {names & ui}"
                elif isinstance(node, ast.ImportFrom) and node.module:
                    parts = node.module.split(".")
                    if parts[0] == "alliance_tui" and len(parts) > 1:
                        assert parts[1] not in ui, f"{path} imports {node.module}"


def test_importing_domain_store_and_cli_loads_no_textual() -> None:
    code = (
        "import alliance_tui.domain, alliance_tui.store, alliance_tui.cli\n"
        "import alliance_tui.domain.rules, alliance_tui.domain.export, alliance_tui.domain.views\n"
        "import sys\n"
        "print('textual' in sys.modules, 'alliance_tui.store.storage' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    # The storage being loaded shows the import really happened.
    assert result.stdout.split() == ["False", "True"]


def test_importing_the_domain_alone_loads_no_tinydb() -> None:
    code = (
        "import alliance_tui.domain, alliance_tui.domain.rules, alliance_tui.domain.export\n"
        "import alliance_tui.domain.views, alliance_tui.domain.text, sys\n"
        "print(sorted(m for m in ('textual', 'tinydb') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def _relative_imports(path: Path) -> set[str]:
    """The package modules a file imports relatively (`..app` as "app", `.window` as "window")."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            if node.module:
                found.add(node.module.split(".")[0])
            else:
                found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("alliance_tui."):
            found.add(node.module.split(".")[1])
    return found


@pytest.mark.parametrize("path", sources("screens"), ids=lambda p: p.name)
def test_screens_never_import_the_app(path: Path) -> None:
    """Screens get what they need from their `Window` and ask by message: no cycle."""
    assert "app" not in _relative_imports(path), f"{path.name} imports the app"


@pytest.mark.parametrize("path", [*sources("widgets"), *sources("dialogs")], ids=lambda p: p.name)
def test_widgets_and_dialogs_never_touch_the_store(path: Path) -> None:
    """They show what they are given and hand back what was typed; screens save it."""
    found = _relative_imports(path)
    assert not found & {"store", "app"}, f"{path.name} imports {sorted(found & {'store', 'app'})}"


def test_the_first_screen_imports_nothing_it_does_not_draw() -> None:
    """What the first frame of an alliance needs (SPEC §9), and not TinyDB (the store
    searches with it later), hashlib (signing, the audit) or the dialogs."""
    code = (
        "from alliance_tui.app import AllianceApp\n"
        "from alliance_tui.screens.negotiation import NegotiationScreen\n"
        "import sys\n"
        "print(sorted(m for m in ('tinydb', 'hashlib', 'alliance_tui.dialogs.line_editor')"
        " if m in sys.modules), 'alliance_tui.store.chain' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["[]", "True"]
