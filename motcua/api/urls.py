"""Routes of API v1 and the OpenAPI schema."""
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from motcua.api import auth, citizens, dossiers, feedback, indicators, me, programme, ratings, views

app_name = "api"

urlpatterns = [
    path("v1/procedures/", views.ProcedureList.as_view(), name="procedure-list"),
    path("v1/procedures/<str:code>/", views.ProcedureDetail.as_view(), name="procedure-detail"),
    path("v1/auth/token/", auth.TokenObtain.as_view(), name="auth-token"),
    path("v1/citizens/register/", citizens.CitizenRegister.as_view(), name="citizen-register"),
    path("v1/me/", citizens.Me.as_view(), name="me"),
    path("v1/dossiers/", dossiers.DossierCollection.as_view(), name="dossier-list"),
    path("v1/dossiers/<str:code>/", dossiers.DossierDetail.as_view(), name="dossier-detail"),
    path("v1/dossiers/<str:code>/actions/", dossiers.DossierActions.as_view(), name="dossier-actions"),
    path("v1/dossiers/<str:code>/papers/<str:form>.pdf", dossiers.DossierPaper.as_view(), name="dossier-paper"),
    path("v1/ratings/", ratings.RatingCreate.as_view(), name="rating-create"),
    path("v1/ratings/summary/", ratings.RatingSummary.as_view(), name="rating-summary"),
    path("v1/me/drafts/", me.DraftCollection.as_view(), name="me-draft-list"),
    path("v1/me/drafts/<int:draft_id>/", me.DraftDetail.as_view(), name="me-draft-detail"),
    path("v1/me/drafts/<int:draft_id>/files/", me.DraftFiles.as_view(), name="me-draft-files"),
    path("v1/me/drafts/<int:draft_id>/files/<int:file_id>/", me.DraftFileDetail.as_view(), name="me-draft-file"),
    path("v1/me/drafts/<int:draft_id>/submit/", me.DraftSubmit.as_view(), name="me-draft-submit"),
    path("v1/me/dossiers/", me.MyDossierCollection.as_view(), name="me-dossier-list"),
    path("v1/me/dossiers/<str:code>/", me.MyDossierDetail.as_view(), name="me-dossier-detail"),
    path("v1/me/dossiers/<str:code>/payments/", me.MyDossierPayments.as_view(), name="me-dossier-payments"),
    path("v1/me/documents/", me.MyDocumentCollection.as_view(), name="me-document-list"),
    path("v1/feedback/", feedback.FeedbackCollection.as_view(), name="feedback-list"),  # issue 8
    path("v1/feedback/<str:code>/", feedback.FeedbackDetail.as_view(), name="feedback-detail"),
    path("v1/feedback/<str:code>/actions/", feedback.FeedbackActions.as_view(), name="feedback-actions"),
    path("v1/me/feedback/", feedback.MyFeedbackCollection.as_view(), name="me-feedback-list"),
    path("v1/programme/tasks/", programme.TaskList.as_view(), name="programme-task-list"),
    path("v1/programme/reports/", programme.ReportCollection.as_view(), name="programme-report-list"),
    path("v1/programme/reports/<int:pk>/actions/", programme.ReportActions.as_view(), name="programme-report-actions"),
    path("v1/programme/targets/", programme.TargetList.as_view(), name="programme-target-list"),
    path("v1/indicators/", indicators.IndicatorList.as_view(), name="indicator-list"),  # issue 9
    path("v1/indicators/<str:key>/", indicators.IndicatorDetail.as_view(), name="indicator-detail"),
    path("v1/indicators/<str:key>/breakdown/", indicators.IndicatorBreakdown.as_view(), name="indicator-breakdown"),
    path("v1/evaluations/decree61/", indicators.Decree61.as_view(), name="evaluation-decree61"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(  # its script is a file: no inline script under the CSP
        url_name="api:schema"), name="docs"),
]
