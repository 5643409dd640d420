#!/usr/bin/env python3
"""Check Vern's gettext catalogues.

Run from the repository root:  .venv/bin/python scripts/check-translations.py [LOCALE_DIR]
(LOCALE_DIR defaults to src/vern/locale.)

Fails (exit 1) and lists the problems when:
  * an entry in a translated catalogue (nn, en) has an empty msgstr,
  * any catalogue (nb, nn, en) has a fuzzy entry or a fuzzy header,
  * a msgstr does not keep the msgid's placeholders (%(name)s, %s, {name})
    or HTML tags,
  * the header lacks the right Language / Plural-Forms / UTF-8 charset.

nb is the source language, so empty msgstr is allowed there.
"""

import re
import sys
from collections import Counter
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "src" / "vern" / "locale"
LANGS = ["nb", "nn", "en"]
MUST_TRANSLATE = {"nn", "en"}
PLURAL_FORMS = "nplurals=2; plural=(n != 1);"

# %(name)s, %s, %d, %%; {name} / {0}; HTML tags such as <strong> or </a>.
PRINTF = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGc%]")
BRACES = re.compile(r"\{[A-Za-z0-9_.]*\}")
TAGS = re.compile(r"</?[A-Za-z][^>]*>")


def tokens(text):
    return Counter(PRINTF.findall(text) + BRACES.findall(text) + TAGS.findall(text))


def check_pair(source, translation):
    """Return a description of a placeholder/tag mismatch, or None."""
    want, got = tokens(source), tokens(translation)
    if want == got:
        return None
    missing = sorted((want - got).elements())
    extra = sorted((got - want).elements())
    parts = []
    if missing:
        parts.append("missing " + ", ".join(missing))
    if extra:
        parts.append("unexpected " + ", ".join(extra))
    return "; ".join(parts)


def check_catalogue(lang, locale=LOCALE):
    path = locale / lang / "LC_MESSAGES" / "django.po"
    if not path.exists():
        return [f"{path}: file missing"], 0
    po = polib.pofile(str(path))
    problems = check_header(po, lang)
    for e in po:
        if not e.obsolete:
            problems.extend(check_entry(e, lang))
    return problems, len([e for e in po if not e.obsolete])


def check_header(po, lang):
    problems = []
    md = po.metadata
    if md.get("Language") != lang:
        problems.append(f"header Language is {md.get('Language')!r}, expected {lang!r}")
    if md.get("Plural-Forms", "").strip() != PLURAL_FORMS:
        problems.append(f"header Plural-Forms is {md.get('Plural-Forms')!r}")
    if "charset=utf-8" not in md.get("Content-Type", "").lower().replace(" ", ""):
        problems.append(f"header Content-Type is {md.get('Content-Type')!r}")
    if po.metadata_is_fuzzy:
        problems.append("header is marked fuzzy")
    return problems


def check_entry(e, lang):
    problems = []
    where = e.occurrences[0][0] + ":" + e.occurrences[0][1] if e.occurrences else "?"
    label = f"{e.msgid!r} ({where})"
    if "fuzzy" in e.flags:
        problems.append(f"fuzzy: {label}")
    if e.msgid_plural:
        forms = [e.msgstr_plural.get(i, "") for i in sorted(e.msgstr_plural)] or [""]
        if lang in MUST_TRANSLATE and not all(forms):
            problems.append(f"empty plural msgstr: {label}")
        for i, form in enumerate(forms):
            if form:
                src = e.msgid if i == 0 else e.msgid_plural
                bad = check_pair(src, form)
                # Singular forms may legitimately drop a count placeholder.
                if bad and i != 0:
                    problems.append(f"placeholder mismatch [{i}] ({bad}): {label}")
    elif not e.msgstr:
        if lang in MUST_TRANSLATE:
            problems.append(f"empty msgstr: {label}")
    else:
        bad = check_pair(e.msgid, e.msgstr)
        if bad:
            problems.append(f"placeholder mismatch ({bad}): {label}")
    return problems


def main(argv):
    locale = Path(argv[1]) if len(argv) > 1 else LOCALE
    failed = False
    for lang in LANGS:
        problems, count = check_catalogue(lang, locale)
        status = "ok" if not problems else f"{len(problems)} problem(s)"
        print(f"{lang}: {count} entries, {status}")
        for p in problems:
            print(f"  {lang}: {p}")
        failed = failed or bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
