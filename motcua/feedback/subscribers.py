"""What feedback does when another domain announces something (motcua.hooks): an unhappy rating opens an item."""
from django.utils.translation import gettext as _

from motcua.feedback.models import FeedbackItem, Kind, Source


def on_rating_recorded(*, rating, dossier, unhappy: bool, open_feedback: bool = True, **_payload) -> None:
    """An unhappy rating opens a feedback item about the dossier's handling, unless the applicant declined."""
    if not unhappy or not open_feedback or FeedbackItem.objects.filter(rating=rating).exists():
        return
    from motcua.feedback.services import Submission, feedback_file

    content = rating.comment or _("Người nộp hồ sơ đánh giá không hài lòng về việc giải quyết hồ sơ %(code)s.") % {
        "code": dossier.code}
    submission = Submission(
        kind=Kind.HANDLING, subject=_("Không hài lòng về việc giải quyết hồ sơ %(code)s") % {"code": dossier.code},
        content=content, name=dossier.applicant_name, phone=dossier.applicant_phone, email=dossier.applicant_email,
        hide_name=True, procedure=dossier.procedure_version.procedure, dossier=dossier, agency=rating.agency,
    )
    feedback_file(submission=submission, sender=dossier.citizen, source=Source.RATING, rating=rating)
