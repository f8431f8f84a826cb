"""Reading the organisation tree."""
from motcua.agencies.models import Agency, AgencyKind


def agency_by_code(code: str) -> Agency | None:
    return Agency.objects.filter(code=code).first()


def agency_tree() -> list[Agency]:
    """Every agency in tree order (the path sorts parents before their children)."""
    return list(Agency.objects.order_by("path"))


def agencies_of_kind(kind: str) -> list[Agency]:
    return list(Agency.objects.filter(kind=kind).order_by("path"))


def desk_of(agency: Agency) -> Agency | None:
    """The reception desk that serves an agency: a desk child, else the nearest ancestor's desk."""
    node = agency
    while node is not None:
        if node.kind == AgencyKind.DESK:
            return node
        desk = node.children.filter(kind=AgencyKind.DESK).order_by("path").first()
        if desk is not None:
            return desk
        node = node.parent
    return None
