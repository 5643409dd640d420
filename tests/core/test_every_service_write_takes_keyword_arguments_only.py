"""Writes go through keyword-only service functions (docs/adr/0006-keyword-only-services.md).

Every public function in ``src/vern/<app>/services.py`` that opens a transaction
(``@transaction.atomic``) takes keyword-only arguments, so a call site names each value and an
added argument cannot shift the others. Small checks that write nothing (``ensure_open(case)``)
may stay positional."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "vern"


def _atomic_writes() -> list[tuple[str, ast.FunctionDef]]:
    found = []
    for path in sorted(SRC.glob("*/services.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
                continue
            if any("atomic" in ast.unparse(d) for d in node.decorator_list):
                found.append((f"{path.parent.name}.services.{node.name}", node))
    return found


def test_the_service_modules_have_transactional_writes_to_check() -> None:
    assert len(_atomic_writes()) >= 40


def test_every_transactional_service_function_takes_keyword_arguments_only() -> None:
    positional = [
        f"{name}({', '.join(a.arg for a in node.args.posonlyargs + node.args.args)})"
        for name, node in _atomic_writes()
        if node.args.posonlyargs or node.args.args or node.args.vararg
    ]
    assert positional == []
