"""Reading the catalogue: published procedures, search that ignores diacritics, and a version as plain data."""
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Value, When

from motcua.agencies.models import Agency, AgencyKind
from motcua.catalogue.models import Field, Level, ProcedureVersion, Step
from motcua.text import fold, fold_terms

MAX_TERMS = 8
# Long text a result list never shows; left unread so that a page of results stays cheap.
LIST_DEFERRED = ("legal_basis", "conditions", "description", "search_key", "applicant_types", "procedure__created_at")


def procedure_search(
    *,
    q: str = "",
    field: str = "",
    agency: str = "",
    level: str = "",
    online: str = "",
    include_unpublished: bool = False,
) -> QuerySet[ProcedureVersion]:
    """Published procedures matching the filters; name matches first, then other matches, each by name.

    Every word of `q` must occur (without diacritics, any case) in the procedure's name, code, field,
    result or components. A phrase found whole in the name ranks first, then all words in the name.
    The same LIKE query runs on SQLite and PostgreSQL; on PostgreSQL a trigram index serves it.
    """
    qs = ProcedureVersion.objects.all() if include_unpublished else ProcedureVersion.objects.published()
    if include_unpublished:
        qs = qs.filter(procedure__current_id=F("pk"))
    qs = qs.select_related("procedure", "field").defer(*LIST_DEFERRED)
    if field:
        qs = qs.filter(field__code=field)
    if level in Level.values:
        qs = qs.filter(**{f"at_{level}": True})
    if online:
        qs = qs.filter(online_level=online)
    if agency:
        root = Agency.objects.filter(code=agency).only("path").first()
        if root is None:
            return qs.none()
        qs = qs.filter(Exists(
            ProcedureVersion.agencies.through.objects.filter(
                procedureversion_id=OuterRef("pk"), agency__path__startswith=root.path
            )
        ))
    terms = fold_terms(q)[:MAX_TERMS]
    if not terms:
        return qs.order_by("name_key", "pk")
    for term in terms:
        qs = qs.filter(search_key__contains=term)
    phrase = fold(q)
    all_in_name = Q()
    for term in terms:
        all_in_name &= Q(name_key__contains=term)
    rank = Case(
        When(name_key__startswith=phrase, then=Value(0)),
        When(name_key__contains=phrase, then=Value(1)),
        When(all_in_name, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    return qs.annotate(rank=rank).order_by("rank", "name_key", "pk")


def procedure_detail(code: str, *, include_unpublished: bool = False) -> ProcedureVersion | None:
    """The version in force for `code` (or the current draft for editors), with everything a citizen reads."""
    qs = ProcedureVersion.objects.filter(procedure__code=code)
    if include_unpublished:
        qs = qs.filter(procedure__current_id=F("pk"))
    else:
        qs = qs.published()
    return (
        qs.select_related("procedure", "field")
        .prefetch_related(
            "components", "fees", Prefetch("steps", queryset=Step.objects.select_related("agency")),
            Prefetch("agencies", queryset=Agency.objects.order_by("path")),
        )
        .first()
    )


def procedure_versions(code: str) -> QuerySet[ProcedureVersion]:
    return ProcedureVersion.objects.filter(procedure__code=code).select_related("created_by").order_by("-number")


def fields_in_use() -> QuerySet[Field]:
    return Field.objects.filter(versions__status="published").distinct().order_by("name")


KIND_TOKEN_KINDS = (("@district", AgencyKind.DISTRICT), ("@commune", AgencyKind.COMMUNE))


def active_kind_ids() -> dict[str, set[int]]:
    """For each kind token, the ids of the active agencies it stands for (read once per export)."""
    ids: dict[str, set[int]] = {token: set() for token, _kind in KIND_TOKEN_KINDS}
    kinds = {kind: token for token, kind in KIND_TOKEN_KINDS}
    for pk, kind in Agency.objects.active().filter(kind__in=list(kinds)).values_list("pk", "kind"):
        ids[kinds[kind]].add(pk)
    return ids


def agency_tokens(version: ProcedureVersion, *, kind_ids: dict[str, set[int]] | None = None) -> list[str]:
    """The implementing agencies as import tokens: "@district"/"@commune" where the set is every agency of a kind."""
    kind_ids = active_kind_ids() if kind_ids is None else kind_ids
    chosen = list(version.agencies.all())
    chosen_ids = {a.pk for a in chosen}
    tokens: list[str] = []
    covered: set[int] = set()
    for token, _kind in KIND_TOKEN_KINDS:
        ids = kind_ids.get(token, set())
        if ids and ids <= chosen_ids:
            tokens.append(token)
            covered |= ids
    tokens.extend(a.code for a in chosen if a.pk not in covered)
    return tokens


def version_as_data(version: ProcedureVersion, *, kind_ids: dict[str, set[int]] | None = None) -> dict:
    """A version as the plain data `catalogue.spec.parse_spec` reads (for edit forms and exports)."""
    return {
        "code": version.procedure.code,
        "name": version.name,
        "field": version.field.code,
        "field_name": version.field.name,
        "levels": version.levels,
        "agencies": agency_tokens(version, kind_ids=kind_ids),
        "legal_limit": _num(version.legal_limit),
        "committed_limit": _num(version.committed_limit),
        "limit_unit": version.limit_unit,
        "online_level": version.online_level,
        "applicant_types": list(version.applicant_types),
        "result_name": version.result_name,
        "result_kind": version.result_kind,
        "legal_basis": version.legal_basis,
        "conditions": version.conditions,
        "description": version.description,
        "components": [
            {"name": c.name, "required": c.required, "originals": c.originals,
             "certified_copies": c.certified_copies, "photocopies": c.photocopies, "note": c.note}
            for c in version.components.all()
        ],
        "fees": [{"name": f.name, "amount": f.amount, "collected": f.collected} for f in version.fees.all()],
        "steps": [
            {"name": s.name, "kind": s.kind, "agency": s.agency.code if s.agency else "@self", "role": s.role,
             "hours": _num(s.hours)}
            for s in version.steps.all()
        ],
    }


def _num(value) -> str:
    return f"{value.normalize():f}"
