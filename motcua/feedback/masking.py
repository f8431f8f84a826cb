"""Removing personal data from text before it is published (Law 2025 on personal data; Decree 13/2023/NĐ-CP).

The rule, in order: e-mail addresses; 12-digit personal ID numbers (also written in groups of three or four);
Vietnamese phone numbers (0…, +84…, 84…, with spaces, dots or dashes); the sender's own name wherever it appears
(with or without diacritics); and any capitalised name after a form of address (ông, bà, anh, chị, cô, chú, em).
"""
import re
import unicodedata

EMAIL = "[email đã ẩn]"
ID = "[số định danh đã ẩn]"
PHONE = "[số điện thoại đã ẩn]"
NAME = "***"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_ID = re.compile(r"(?<![\d+.])(?:\d{12}|\d{3}(?:[ .]\d{3}){3}|\d{4}(?:[ .]\d{4}){2})(?![\d]|\.\d)")
_PHONE = re.compile(r"(?<![\d.])(?:\+\s?84|0084|84|0)(?:[ .\-]?\d){8,10}(?![\d]|\.\d)")
_TITLES = r"(?:ông|bà|anh|chị|cô|chú|em|Ông|Bà|Anh|Chị|Cô|Chú|Em|ÔNG|BÀ|ANH|CHỊ)"
_TITLED = re.compile(_TITLES + r"\s+((?:[^\W\d_][^\W\d_]*)(?:\s+[^\W\d_]+){0,3})", re.UNICODE)


def _strip(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


def _capitalised_run(words: str) -> str:
    """The leading capitalised words of `words` (a name), or '' when the first is not capitalised."""
    taken = []
    for word in words.split():
        if not word[0].isupper():
            break
        taken.append(word)
    return " ".join(taken)


def _mask_titled(match: re.Match) -> str:
    name = _capitalised_run(match.group(1))
    if not name:
        return match.group(0)
    whole = match.group(0)
    start = match.start(1) - match.start(0)
    return whole[:start] + NAME + whole[start + len(name):]


def _mask_name(text: str, name: str) -> str:
    name = " ".join((name or "").split())
    if len(name) < 2:
        return text
    # Match with or without diacritics, any case, by comparing the stripped text position by position.
    plain, target = _strip(text).lower(), _strip(name).lower()
    if len(plain) != len(text):  # a character folded to several: fall back to a plain, case-blind search
        return re.sub(re.escape(name), NAME, text, flags=re.IGNORECASE)
    pattern = re.compile(r"(?<!\w)" + r"\s+".join(re.escape(w) for w in target.split()) + r"(?!\w)")
    out, last = [], 0
    for found in pattern.finditer(plain):
        out.append(text[last:found.start()])
        out.append(NAME)
        last = found.end()
    out.append(text[last:])
    return "".join(out)


def mask(text: str, *, names=()) -> str:
    """`text` with e-mails, ID numbers, phone numbers, the given `names` and titled names replaced."""
    if not text:
        return ""
    text = _EMAIL.sub(EMAIL, text)
    text = _ID.sub(ID, text)
    text = _PHONE.sub(PHONE, text)
    for name in names:
        text = _mask_name(text, name)
    return _TITLED.sub(_mask_titled, text)
