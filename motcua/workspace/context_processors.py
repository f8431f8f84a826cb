"""What the workspace navigation may offer the signed-in person (so no link leads to a refusal)."""
from motcua.accounts.roles import Perm
from motcua.accounts.scoping import user_can


def workspace_access(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not request.path.startswith("/workspace/"):
        return {}
    return {"ws_can": {
        "dossiers": user_can(user, Perm.DOSSIER_VIEW),
        "receive": user_can(user, Perm.DOSSIER_RECEIVE),
        "catalogue": user_can(user, Perm.CATALOGUE_VIEW),
        "agencies": user_can(user, Perm.AGENCY_VIEW),
        "ratings": user_can(user, Perm.REPORT_VIEW),
        "reports": user_can(user, Perm.REPORT_VIEW),
        "audit": user_can(user, Perm.AUDIT_VIEW),
        "staff": user_can(user, Perm.USER_MANAGE),
        "outbox": user_can(user, Perm.OUTBOX_MANAGE),
    }}
