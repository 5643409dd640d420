"""No text of Vern assumes that the user is a woman or the perpetrator a man (issue 14 point 8):
no gendered personal pronoun in the catalogues (bokmål msgids, nynorsk and English msgstr), the
templates, the strings of the Python code (demo data and the benchmark's sample texts too), the
rulebook and the user texts (YAML) and the documents' texts, in any of the three languages; and
no feminine address in the Arabic sample. Vern says "brukeren"/"brukaren"/"the user",
"utøveren"/"utøvaren"/"the perpetrator", and they/them.

Nynorsk also uses han/ho for things of masculine or feminine gender ("alarmen ... du får han");
those are rephrased rather than allowed, so that the list below stays empty unless a reviewer
adds a line with its reason."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polib
import yaml

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "vern"
PRONOUNS = {
    "nb": ("hun", "henne", "hennes", "han", "ham", "hans"),
    "nn": ("ho", "henne", "hennar", "hennes", "han", "honom", "hans", "hun", "ham"),
    "en": ("she", "her", "hers", "herself", "he", "him", "his", "himself"),
}
ALL_PRONOUNS = tuple(sorted({p for words in PRONOUNS.values() for p in words}))
# In a string of unknown language "her" is most often bokmål and nynorsk for "here".
ANY_LANGUAGE = tuple(p for p in ALL_PRONOUNS if p != "her")
# (file, the word, a snippet of the text): a reviewed use that is not about a person. Empty.
ALLOWED: set[tuple[str, str, str]] = set()
# Feminine address in Arabic (the sample spoke to a woman: "اسألي", "أنتِ", "قلتِ" ...).
ARABIC_FEMININE = re.compile(
    r"(?:أنتِ|[كت]ِ(?=\s|$|[.،:»])|\b(?:اسألي|أخبري|تقررين|تسحبين|تكوني|تطلبي|تبلّغي|ترغبي)\b)"
)


def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])(" + "|".join(words) + r")(?![\w-])", re.IGNORECASE)


def _found(where: str, text: str, words: tuple[str, ...]) -> Iterator[str]:
    for match in _pattern(words).finditer(text):
        start = max(0, match.start() - 40)
        snippet = " ".join(text[start : match.end() + 40].split())
        if not any(f == where and w == match.group(1).lower() and s in text for f, w, s in ALLOWED):
            yield f"{where}: {match.group(1)!r} in …{snippet}…"


def _rel(path: Path) -> str:
    return str(path.relative_to(PACKAGE))


def test_the_catalogues_have_no_gendered_pronoun() -> None:
    found: list[str] = []
    nb = polib.pofile(str(PACKAGE / "locale" / "nn" / "LC_MESSAGES" / "django.po"))
    for entry in nb:
        found += _found(f"msgid {entry.msgid[:50]!r}", entry.msgid, PRONOUNS["nb"])
    for lang in ("nn", "en"):
        for entry in polib.pofile(str(PACKAGE / "locale" / lang / "LC_MESSAGES" / "django.po")):
            if entry.obsolete:
                continue
            texts = [entry.msgstr, *entry.msgstr_plural.values()]
            for text in texts:
                found += _found(f"{lang} msgstr of {entry.msgid[:50]!r}", text, PRONOUNS[lang])
    assert found == [], "\n".join(found)


def test_the_templates_have_no_gendered_pronoun() -> None:
    found: list[str] = []
    for path in sorted((PACKAGE / "templates").rglob("*.html")):
        found += _found(_rel(path), path.read_text(encoding="utf-8"), PRONOUNS["nb"])
    assert found == [], "\n".join(found)


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def test_the_python_strings_have_no_gendered_pronoun() -> None:
    """Every string literal but docstrings (which are English notes for developers): gettext
    msgids, the questions' nb/nn/en texts, the demo data and the benchmark's samples, the API's
    descriptions. A text passed as ``nb=``, ``nn=`` or ``en=`` is checked in that language."""
    found: list[str] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _docstrings(tree)
        language = {
            id(node.value): PRONOUNS[node.arg]
            for node in ast.walk(tree)
            if isinstance(node, ast.keyword) and node.arg in PRONOUNS
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in skip
            ):
                words = language.get(id(node), ANY_LANGUAGE)
                found += _found(f"{_rel(path)}:{node.lineno}", node.value, words)
    assert found == [], "\n".join(found)


def _yaml_strings(node: Any, lang: str | None) -> Iterator[tuple[str | None, str]]:
    if isinstance(node, str):
        yield lang, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _yaml_strings(value, key if key in PRONOUNS else lang)
    elif isinstance(node, list):
        for value in node:
            yield from _yaml_strings(value, lang)


def test_the_rulebook_user_texts_and_documents_have_no_gendered_pronoun() -> None:
    files = [
        *sorted((PACKAGE / "rulebook").rglob("*.yaml")),
        PACKAGE / "consent" / "user_texts.yaml",
        *sorted((PACKAGE / "documents" / "texts").glob("*.yaml")),
    ]
    found: list[str] = []
    for path in files:
        file_lang = path.stem if path.parent.name == "texts" else None
        tree = yaml.safe_load(path.read_text(encoding="utf-8"))
        for lang, text in _yaml_strings(tree, file_lang):
            words = PRONOUNS.get(lang or "", ANY_LANGUAGE)
            found += _found(_rel(path), text, words)
    assert found == [], "\n".join(found)


def test_the_arabic_sample_does_not_speak_to_a_woman_only() -> None:
    path = PACKAGE / "documents" / "texts" / "ar.yaml"
    text = path.read_text(encoding="utf-8")
    found = [
        f"{_rel(path)}:{n}: {m.group(0)!r}"
        for n, line in enumerate(text.splitlines(), 1)
        for m in ARABIC_FEMININE.finditer(line)
    ]
    assert found == [], "\n".join(found)
