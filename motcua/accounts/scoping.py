"""Who may see and do what: the one function that narrows every staff query to the user's reach.

A user's grants become one filter on the agency's materialised path (an indexed prefix match),
so that a commune officer's list costs the same as an administrator's (DESIGN "Who sees what").
"""
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from motcua.accounts.roles import ROLE_PERMS, ROLE_REACH, Reach


@dataclass(frozen=True)
class _Area:
    everywhere: bool
    paths: tuple[str, ...]  # subtree prefixes
    agency_ids: tuple[int, ...]  # single agencies

    @property
    def empty(self) -> bool:
        return not (self.everywhere or self.paths or self.agency_ids)


_NOWHERE = _Area(False, (), ())


def _grants(user):
    cached = getattr(user, "_motcua_grants", None)
    if cached is None:
        cached = [(g.role, g.agency_id, g.agency.path) for g in user.grants.select_related("agency")]
        user._motcua_grants = cached
    return cached


def grants_of(user) -> list[tuple[str, int, str]]:
    """The user's grants as (role, agency id, agency path), read once per request."""
    return _grants(user)


def area(user, perm: str) -> _Area:
    """The part of the agency tree in which `user` holds `perm`."""
    if user is None or not user.is_authenticated or not user.is_active:
        return _NOWHERE
    if user.is_superuser:
        return _Area(True, (), ())
    everywhere = False
    paths: set[str] = set()
    ids: set[int] = set()
    for role, agency_id, path in _grants(user):
        if perm not in ROLE_PERMS.get(role, ()):
            continue
        reach = ROLE_REACH[role]
        if reach == Reach.EVERYWHERE:
            everywhere = True
        elif reach == Reach.SUBTREE:
            paths.add(path)
        else:
            ids.add(agency_id)
    # Drop prefixes already covered by a shorter one, so the filter stays small.
    kept = tuple(sorted(p for p in paths if not any(p != q and p.startswith(q) for q in paths)))
    return _Area(everywhere, kept, tuple(sorted(ids)))


def agency_q(user, perm: str, field: str = "agency") -> Q:
    """A filter selecting rows whose `field` (a FK to Agency, or "" for Agency itself) lies in the user's reach."""
    where = area(user, perm)
    if where.everywhere:
        return Q()
    if where.empty:
        return Q(pk__in=[])
    prefix = f"{field}__" if field else ""
    q = Q()
    for path in where.paths:
        q |= Q(**{f"{prefix}path__startswith": path})
    if where.agency_ids:
        id_lookup = f"{field}_id__in" if field else "id__in"
        q |= Q(**{id_lookup: where.agency_ids})
    return q


def scope(queryset: QuerySet, user, perm: str, field: str = "agency") -> QuerySet:
    """Narrow `queryset` to what `user` may reach with `perm` (the only narrowing staff queries use)."""
    return queryset.filter(agency_q(user, perm, field))


def user_can(user, perm: str, agency=None) -> bool:
    """True if `user` holds `perm` anywhere (agency=None) or over `agency`."""
    where = area(user, perm)
    if where.empty:
        return False
    if agency is None or where.everywhere:
        return True
    return agency.id in where.agency_ids or any(agency.path.startswith(p) for p in where.paths)


def user_roles(user) -> set[str]:
    if not user.is_authenticated:
        return set()
    return {role for role, _agency, _path in _grants(user)}
