"""What ratings does when the dossier domain announces a change: a returned dossier's applicant is invited to rate."""
import logging

from django.db import transaction

from motcua.dossiers.workflow import Status

logger = logging.getLogger(__name__)


def on_dossier_told(*, dossier, action, **_payload) -> None:
    """Send the one-time rating link (issue 4 §8) once the dossier is returned (at the desk, online or by post).

    A failure here never undoes the return: it runs in a savepoint and is logged.
    """
    if dossier.status != Status.RETURNED:
        return
    from motcua.ratings import services

    try:
        with transaction.atomic():
            services.invite_issue(dossier=dossier)
    except Exception:  # noqa: BLE001 - the return must stand whatever happens to the invitation
        logger.exception("ratings: could not issue the rating invitation for %s", dossier.code)
