"""Text keys that ignore case and Vietnamese diacritics, so that "giay phep" finds "Giấy phép"."""
import re
import unicodedata

_SPACES = re.compile(r"[^0-9a-z.]+")


def fold(text: str | None) -> str:
    """Lower-case, strip diacritics (đ → d) and collapse punctuation and spaces into single spaces.

    Dots are kept so that codes such as `1.009994.000.00.00.H47` stay searchable as typed.
    """
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", stripped.lower()).strip()


def fold_terms(query: str | None) -> list[str]:
    """The distinct folded words of a search query, in order."""
    seen: list[str] = []
    for term in fold(query).split():
        term = term.strip(".")
        if term and term not in seen:
            seen.append(term)
    return seen
