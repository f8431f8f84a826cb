"""Matching the agencies a programme names ("Sở LĐ-TB&XH", "Các Sở, Ban, ngành", ...) to the agency tree.

Names are compared folded (no diacritics, no punctuation, `motcua.text.fold`) after expanding the abbreviations
decisions use. Two phrases are groups: "Các Sở, Ban, ngành" means every department, "Ủy ban nhân dân huyện, thị xã,
thành phố" / "UBND cấp huyện" every district. Phrases that name nobody in particular ("các cơ quan có liên quan")
are ignored. What still does not match is returned as unmatched, for an administrator to map once (`AgencyAlias`);
the mapping is consulted first on every later import.
"""
import re
from dataclasses import dataclass, field

from motcua.agencies.models import Agency, AgencyKind
from motcua.text import fold

ABBREVIATIONS = [
    (r"\bubnd\b", "uy ban nhan dan"),
    (r"\bld tb xh\b", "lao dong thuong binh va xa hoi"),
    (r"\bnn ptnt\b", "nong nghiep va phat trien nong thon"),
    (r"\btt tt\b", "thong tin va truyen thong"),
    (r"\bkh dt\b", "ke hoach va dau tu"),
    (r"\bbql\b", "ban quan ly"),
    (r"\bkktm\b", "khu kinh te mo"),
]
DEPARTMENT_GROUPS = ("cac so ban nganh",)
DISTRICT_GROUPS = ("uy ban nhan dan huyen thi xa thanh pho", "uy ban nhan dan cap huyen")
VAGUE = (
    "cac co quan co lien quan", "cac co quan dia phuong co lien quan", "cac don vi lien quan",
    "cac co quan dia phuong la doi tuong thuc hien", "hoi hiep hoi doanh nghiep", "to chuc hoi hiep hoi",
)
_DISTRICT_PREFIX = re.compile(r"^(thanh pho|huyen|thi xa)\s+")


def norm(text: str) -> str:
    """The folded form names are compared in: abbreviations expanded, "tỉnh (Quảng Nam)" at the end dropped."""
    folded = fold(text)
    for pattern, replacement in ABBREVIATIONS:
        folded = re.sub(pattern, replacement, folded)
    folded = re.sub(r"\s+tinh(\s+quang nam)?$", "", folded)
    return folded.strip()


def split_names(text: str) -> list[str]:
    return [part.strip() for part in (text or "").split(";") if part.strip()]


@dataclass
class Match:
    phrase: str
    agencies: list = field(default_factory=list)
    group: str = ""
    unmatched: list[str] = field(default_factory=list)
    ignored: bool = False


class Matcher:
    """Built once per import from the active tree and the remembered aliases."""

    def __init__(self):
        from motcua.programme.models import AgencyAlias, AliasGroup

        self.AliasGroup = AliasGroup
        kinds = (AgencyKind.PROVINCE, AgencyKind.DEPARTMENT, AgencyKind.DISTRICT)
        agencies = list(Agency.objects.active().filter(kind__in=kinds))
        self.departments = [a for a in agencies if a.kind == AgencyKind.DEPARTMENT]
        self.districts = [a for a in agencies if a.kind == AgencyKind.DISTRICT]
        self.by_name: dict[str, Agency] = {}
        for agency in agencies:
            for name in (agency.name, agency.short_name):
                if name:
                    self.by_name.setdefault(norm(name), agency)
        self.district_by_short = {norm(a.short_name or a.name): a for a in self.districts}
        self.aliases = {a.folded: a for a in AgencyAlias.objects.select_related("agency")}

    def _alias(self, phrase: str, match: Match) -> bool:
        alias = self.aliases.get(norm(phrase))
        if alias is None:
            return False
        if alias.agency_id:
            match.agencies.append(alias.agency)
        elif alias.group == self.AliasGroup.DEPARTMENTS:
            match.agencies += self.departments
            match.group = alias.group
        elif alias.group == self.AliasGroup.DISTRICTS:
            match.agencies += self.districts
            match.group = alias.group
        else:
            match.ignored = True
        return True

    def match(self, phrase: str) -> Match:
        match = Match(phrase=phrase)
        if self._alias(phrase, match):
            return match
        key = norm(phrase)
        bare = re.sub(r"\s+co lien quan$", "", key)
        if bare.startswith(DEPARTMENT_GROUPS):
            match.agencies += self.departments
            match.group = self.AliasGroup.DEPARTMENTS
            if "dia phuong" in bare:
                match.agencies += self.districts
            return match
        if bare.startswith(DISTRICT_GROUPS):
            match.agencies += self.districts
            match.group = self.AliasGroup.DISTRICTS
            return match
        if key in VAGUE:
            match.ignored = True
            return match
        if key in self.by_name:
            match.agencies.append(self.by_name[key])
            return match
        if key.startswith("cac so "):
            rest = key[len("cac so "):]
            for department in self.departments:
                name = norm(department.name)
                if name.startswith("so ") and name[3:] in rest:
                    match.agencies.append(department)
            if not match.agencies:
                match.unmatched.append(phrase)
            return match
        if key.startswith("uy ban nhan dan "):
            pieces = phrase.split(",")
            first = re.sub(r"^(ủy|uỷ) ban nhân dân\s+|^ubnd\s+", "", pieces[0].strip(), flags=re.IGNORECASE)
            for piece in [first] + [p.strip() for p in pieces[1:]]:
                if self._alias(f"Ủy ban nhân dân {piece}", match):
                    continue
                short = _DISTRICT_PREFIX.sub("", norm(piece))
                district = self.district_by_short.get(short)
                if district is not None:
                    match.agencies.append(district)
                else:
                    match.unmatched.append(f"Ủy ban nhân dân {piece}")
            return match
        match.unmatched.append(phrase)
        return match

    def match_all(self, text: str) -> tuple[list, list[str], list[str]]:
        """(agencies with the phrase each came from, unmatched names, ignored phrases) for a "; "-separated cell."""
        found: list[tuple[Agency, str]] = []
        unmatched: list[str] = []
        ignored: list[str] = []
        seen: set[int] = set()
        for phrase in split_names(text):
            result = self.match(phrase)
            for agency in result.agencies:
                if agency.pk not in seen:
                    seen.add(agency.pk)
                    found.append((agency, phrase))
            unmatched += result.unmatched
            if result.ignored:
                ignored.append(phrase)
        return found, unmatched, ignored
