"""Every change to a dossier: one function per business operation, each in one transaction, split by stage.

- `intake`: received at the desk or filed online, accepted or refused;
- `processing`: claim, forward, send back, reassign, draft, approval (the handoffs of Mẫu 05);
- `pauses`: supplement once, financial obligations and payments, the apology;
- `closing`: completion, return (desk, online, post), withdrawal and stop.

Every operation goes through one entry (`_entry._begin` then `_entry._record`): lock the row with the version the
caller saw, ask `policy.decide` (the state by `workflow.TRANSITIONS`, then who may), change, append the
`DossierEvent`, write the audit entry, announce `hooks.DOSSIER_CHANGED`, and queue the applicant's messages in the
outbox, all or nothing (DESIGN "one door"; STYLE habits 1, 3, 5, 6; ADR 0007). Callers import from here:
`from motcua.dossiers import services as svc; svc.dossier_receive(...)`.
"""

from django.utils.translation import gettext as _

from motcua.dossiers.models import Dossier
from motcua.dossiers.services._entry import (  # noqa: F401 - the names callers and tests use
    Upload,
    _active_step,
    _begin,
    _lock,
    _record,
    _save_uploads,
    step_permission,
)
from motcua.dossiers.services.closing import (
    dossier_choose_post,
    dossier_complete,
    dossier_delivered,
    dossier_hand_to_post,
    dossier_return,
    dossier_stop,
    dossier_withdraw,
)
from motcua.dossiers.services.intake import (  # noqa: F401
    Intake,
    ReceivedComponent,
    dossier_accept,
    dossier_receive,
    dossier_refuse,
    dossier_submit,
)
from motcua.dossiers.services.pauses import (  # noqa: F401
    dossier_apologise,
    dossier_fees_paid,
    dossier_payment_received,
    dossier_request_payment,
    dossier_request_supplement,
    dossier_supplement_received,
    dossier_supplement_submit_online,
)
from motcua.dossiers.services.processing import (  # noqa: F401
    dossier_approve,
    dossier_attach_draft,
    dossier_claim,
    dossier_forward,
    dossier_reassign,
    dossier_send_back,
    signing_agency,
)
from motcua.dossiers.workflow import Action
from motcua.errors import InvalidInput

# ---------------------------------------------------------------------------------------------------------------
# One entry for interfaces that name the action (API, workspace)

ACTIONS = {
    Action.ACCEPT: dossier_accept,
    Action.REFUSE: dossier_refuse,
    Action.CLAIM: dossier_claim,
    Action.FORWARD: dossier_forward,
    Action.SEND_BACK: dossier_send_back,
    Action.REASSIGN: dossier_reassign,
    Action.APPROVE: dossier_approve,
    Action.REQUEST_SUPPLEMENT: dossier_request_supplement,
    Action.SUPPLEMENT_RECEIVED: dossier_supplement_received,
    Action.REQUEST_PAYMENT: dossier_request_payment,
    Action.PAYMENT_RECEIVED: dossier_payment_received,
    Action.RECORD_PAYMENT: dossier_fees_paid,
    Action.APOLOGISE: dossier_apologise,
    Action.COMPLETE: dossier_complete,
    Action.RETURN: dossier_return,
    Action.ATTACH_DRAFT: dossier_attach_draft,
    Action.CHOOSE_POST: dossier_choose_post,
    Action.HAND_TO_POST: dossier_hand_to_post,
    Action.DELIVERED: dossier_delivered,
    Action.WITHDRAW: dossier_withdraw,
    Action.STOP: dossier_stop,
}


def dossier_act(*, dossier, actor, action: str, request=None, **params) -> Dossier:
    """Run the named action with its parameters (what the API's `actions` endpoint and the workspace call)."""
    operation = ACTIONS.get(action)
    if operation is None:
        raise InvalidInput(
            _("Thao tác không hợp lệ: %(action)s.") % {"action": action}, detail={"allowed": sorted(ACTIONS)}
        )
    return operation(dossier=dossier, actor=actor, request=request, **params)
