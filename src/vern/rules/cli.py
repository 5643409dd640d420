"""``vern assess [FILE|-] [--format json|text] [--lang nb|nn|en]``: assess facts from JSON.

Exit 0 on success; exit 2 with one line on stderr for bad input or bad usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import NoReturn

from vern.rules.engine import evaluate
from vern.rules.errors import FactsError, RulebookError
from vern.rules.facts import parse_facts
from vern.rules.render import render_text
from vern.rules.texts import LANGS

PROG = "vern assess"
EXIT_OK = 0
EXIT_BAD_INPUT = 2
EXIT_RULEBOOK = 3


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _UsageError(message)


def _parser() -> _Parser:
    parser = _Parser(
        prog=PROG,
        description="Assess whether to involve the police, from a facts JSON object.",
    )
    parser.add_argument(
        "file", nargs="?", default="-", metavar="FILE|-", help="facts JSON file; '-' = stdin"
    )
    parser.add_argument("--format", choices=("json", "text"), default="json")
    parser.add_argument("--lang", choices=LANGS, default="nb")
    return parser


def _reject_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
    result: dict[str, object] = {}
    for key, value in pairs:
        if key in result:
            msg = f"duplicate key {key!r}"
            raise FactsError(msg)
        result[key] = value
    return result


def _read(source: str) -> str:
    if source == "-":
        return sys.stdin.read()
    try:
        return Path(source).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        msg = f"cannot read {source!r}: no such file"
        raise FactsError(msg) from None
    except UnicodeDecodeError:
        msg = f"cannot read {source!r}: not UTF-8 text"
        raise FactsError(msg) from None
    except OSError as exc:
        msg = f"cannot read {source!r}: {exc.strerror}"
        raise FactsError(msg) from None


def _decode(text: str) -> object:
    try:
        return json.loads(text.lstrip("\ufeff"), object_pairs_hook=_reject_duplicates)
    except json.JSONDecodeError as exc:
        msg = f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        raise FactsError(msg) from None


def _fail(message: str, code: int = EXIT_BAD_INPUT) -> int:
    one_line = " ".join(message.split())
    sys.stderr.write(f"{PROG}: error: {one_line}\n")
    return code


def main(argv: list[str]) -> int:
    """Run ``vern assess`` with ``argv`` (without the word "assess"); return the exit code."""
    try:
        args = _parser().parse_args(argv)
    except _UsageError as exc:
        return _fail(f"{exc} (usage: {PROG} [FILE|-] [--format json|text] [--lang nb|nn|en])")
    except SystemExit as exc:  # --help
        return exc.code if isinstance(exc.code, int) else EXIT_OK
    try:
        facts = parse_facts(_decode(_read(args.file)))
        outcome = evaluate(facts)
    except FactsError as exc:
        return _fail(str(exc))
    except RulebookError as exc:
        return _fail(str(exc), EXIT_RULEBOOK)
    if args.format == "json":
        sys.stdout.write(json.dumps(outcome.to_dict(args.lang), ensure_ascii=False, indent=2))
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render_text(outcome, args.lang))
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
