"""What filings does when the dossier domain announces a change: a completed result goes into the citizen's store."""
import logging

from django.db import transaction

from motcua.dossiers.workflow import Action

logger = logging.getLogger(__name__)


def on_dossier_told(*, dossier, action, **_payload) -> None:
    """Put the electronic result of an online filer's completed dossier into their document store.

    In a savepoint, and any failure is logged, never raised: the store is a convenience and must not undo the
    completion it follows.
    """
    if action != Action.COMPLETE or not dossier.citizen_id:
        return
    from motcua.filings import services

    try:
        result = dossier.attachments.filter(kind="result").order_by("-uploaded_at", "-id").first()
        if result is None:  # a paper result
            return
        with transaction.atomic():  # only the result in force: one replaced after a send-back stays out
            services.store_result(dossier=dossier, attachment=result)
    except Exception:  # noqa: BLE001 - deliberately broad: completion must stand whatever the store does
        logger.exception("Could not store the result of %s in the citizen's document store", dossier.code)
