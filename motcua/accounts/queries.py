"""Reading accounts: which staff hold a permission over an agency; a citizen's profile and whether it is verified."""
from motcua.accounts.models import User
from motcua.accounts.roles import ROLE_PERMS, ROLE_REACH, Reach


def roles_with(perm: str) -> list[str]:
    return [role for role, perms in ROLE_PERMS.items() if perm in perms]


def holders_of(agency, perm: str) -> list[User]:
    """Active staff who hold `perm` over `agency`, in one query: grants at the agency or (by reach) above it."""
    from motcua.accounts.models import RoleGrant

    prefixes = [agency.path[:end] for end in range(1, len(agency.path) + 1) if agency.path[end - 1] == "."]
    grants = (RoleGrant.objects.filter(role__in=roles_with(perm), agency__path__in=prefixes, user__is_active=True)
              .select_related("user").order_by("user__full_name", "user__username"))
    users: dict[int, User] = {}
    for grant in grants:
        reach = ROLE_REACH.get(grant.role)
        if reach == Reach.AGENCY and grant.agency_id != agency.id:
            continue
        if reach == Reach.EVERYWHERE:
            continue  # administrators are not case officers
        users.setdefault(grant.user_id, grant.user)
    return list(users.values())


def staff_managed_by(actor, *, q: str = "", limit: int = 50) -> list[User]:
    """Staff accounts (those with an agency) that `actor` may manage, by username, name or e-mail containing `q`."""
    from django.db.models import Q

    from motcua.accounts.roles import Perm
    from motcua.accounts.scoping import scope

    rows = scope(User.objects.filter(agency__isnull=False), actor, Perm.USER_MANAGE).select_related("agency")
    q = (q or "").strip()
    if q:
        rows = rows.filter(Q(username__icontains=q) | Q(full_name__icontains=q) | Q(email__icontains=q))
    return list(rows.order_by("username")[:limit])


def staff_member_managed_by(actor, pk: int) -> User | None:
    """One staff account `actor` may manage, or None (absent and out of reach answer alike)."""
    from motcua.accounts.roles import Perm
    from motcua.accounts.scoping import scope

    return scope(User.objects.filter(agency__isnull=False, pk=pk), actor, Perm.USER_MANAGE).select_related(
        "agency").first()


def user_by_username(username: str) -> User | None:
    return User.objects.filter(username=username, is_active=True).first()


# --- citizens ------------------------------------------------------------------------------------------------------


def citizen_profile(user):
    """The citizen profile of `user`, or None (anonymous visitors and staff have none)."""
    from motcua.accounts.models import CitizenProfile

    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return CitizenProfile.objects.filter(user_id=user.pk).first()


def is_citizen(user) -> bool:
    return citizen_profile(user) is not None


def user_is_verified_citizen(user) -> bool:
    """True for an active citizen whose e-mail, phone or identity is verified: only they may file online."""
    profile = citizen_profile(user)
    return bool(profile is not None and user.is_active and profile.is_verified)
