"""The English catalogues: every msgid has an English msgstr, none is fuzzy, and each .mo is compiled from its .po."""
import ast
import gettext
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CATALOGUES = sorted(ROOT.glob("**/locale/en/LC_MESSAGES/django.po"))


def _entries(path: Path) -> list[dict]:
    """Each entry of a .po file: {"flags": set, "msgid": str, "msgid_plural"?: str, "msgstr…": str}."""
    entries, current, key = [], None, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if current and "msgid" in current:
                entries.append(current)
            current, key = None, None
            continue
        current = current or {"flags": set()}
        if line.startswith("#,"):
            current["flags"] |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif match := re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(\".*\")$", line):
            key = match.group(1)
            current[key] = ast.literal_eval(match.group(2))
        elif line.startswith('"') and key:
            current[key] += ast.literal_eval(line)
    return [e for e in entries if e["msgid"]]  # the header has an empty msgid


def test_the_catalogues_are_found():
    assert {p.parts[-5] for p in CATALOGUES} >= {"motcua", "feedback", "surveys", "programme", "reports"}


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_msgid_has_an_english_msgstr_and_none_is_fuzzy(path):
    entries = _entries(path)
    empty = [e["msgid"] for e in entries if any(not v for k, v in e.items() if k.startswith("msgstr"))]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert entries
    assert empty == [], f"{len(empty)} msgid(s) without English in {path}"
    assert fuzzy == [], f"{len(fuzzy)} fuzzy msgid(s) in {path}"


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_compiled_catalogue_holds_what_the_po_file_says(path):
    with path.with_suffix(".mo").open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    for entry in _entries(path):
        if "msgid_plural" in entry or "msgctxt" in entry:
            continue
        assert compiled.gettext(entry["msgid"]) == entry["msgstr"], entry["msgid"]
