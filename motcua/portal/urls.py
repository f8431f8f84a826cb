"""Routes of the public portal."""
from django.urls import path

from motcua.portal import account_views, feedback_views, filing_views, rating_views, result_views, verify_views, views
from motcua.portal.stats_views import stats, stats_csv, stats_json
from motcua.portal.survey_views import survey_by_link

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("thu-tuc/", views.procedure_list, name="procedure-list"),
    path("thu-tuc/<str:code>/", views.procedure_detail, name="procedure-detail"),
    path("tra-cuu/", views.tracking, name="tracking"),
    path("xac-thuc/", verify_views.verify, name="verify"),
    path("phan-anh/", feedback_views.feedback_new, name="feedback-new"),  # feedback (issue 8)
    path("phan-anh/tra-cuu/", feedback_views.feedback_tracking, name="feedback-tracking"),
    path("phan-anh/tra-cuu/<str:form>.pdf", feedback_views.feedback_paper, name="feedback-paper"),
    path("hoi-dap/", feedback_views.qa_list, name="feedback-qa"),
    # Citizens' accounts; the fixed words come before <token>, which would otherwise swallow them.
    path("tai-khoan/", account_views.account, name="account"),
    path("tai-khoan/dang-nhap/", account_views.CitizenLoginView.as_view(), name="login"),
    path("tai-khoan/dang-xuat/", account_views.CitizenLogoutView.as_view(), name="logout"),
    path("tai-khoan/dang-ky/", account_views.register, name="register"),
    path("tai-khoan/xac-thuc/dien-thoai/", account_views.verify_phone, name="verify-phone"),
    path("tai-khoan/xac-thuc/gui-lai/", account_views.verification_resend, name="verify-resend"),
    path("tai-khoan/xac-thuc/<str:token>/", account_views.verify_email, name="verify-email"),
    path("tai-khoan/quen-mat-khau/", account_views.password_reset, name="password-reset"),
    path("tai-khoan/dat-lai-mat-khau/<uidb64>/<token>/", account_views.CitizenPasswordResetConfirmView.as_view(),
         name="password-reset-confirm"),
    path("tai-khoan/dinh-danh/", account_views.oidc_start, name="oidc-start"),
    path("tai-khoan/dinh-danh/callback/", account_views.oidc_callback, name="oidc-callback"),
    path("ho-so-cua-toi/<str:code>/ket-qua.pdf", result_views.result_download, name="my-result"),
    path("danh-gia/ho-so/<str:code>/", rating_views.rate_own, name="rating-own"),
    path("danh-gia/<str:token>/", rating_views.rate_by_link, name="rating-link"),
    path("khao-sat/<str:token>/", survey_by_link, name="survey-link"),
    path("nop-ho-so/nhap/<int:draft_id>/", filing_views.filing_draft, name="filing-draft"),
    path("nop-ho-so/nhap/<int:draft_id>/xoa-tep/<int:file_id>/", filing_views.filing_remove_file,
         name="filing-remove-file"),
    path("nop-ho-so/<str:code>/", filing_views.filing_start, name="filing-start"),
    path("ho-so-cua-toi/", filing_views.my_dossiers, name="my-dossiers"),
    path("ho-so-cua-toi/giay-to/", filing_views.my_documents, name="my-documents"),
    path("ho-so-cua-toi/giay-to/<int:document_id>/", filing_views.my_document, name="my-document"),
    path("ho-so-cua-toi/<str:code>/", filing_views.my_dossier, name="my-dossier"),
    path("ho-so-cua-toi/<str:code>/bo-sung/", filing_views.my_supplement, name="my-supplement"),
    path("ho-so-cua-toi/<str:code>/buu-chinh/", filing_views.my_post_delivery, name="my-post-delivery"),
    path("ho-so-cua-toi/<str:code>/giay/<str:form>.pdf", filing_views.my_paper, name="my-paper"),
    path("ho-so-cua-toi/<str:code>/tep/<int:attachment_id>/", filing_views.my_attachment, name="my-attachment"),
    # Open data: the province's public figures on handling procedures (reports, issue 9).
    path("thong-ke/", stats, name="stats"),
    path("thong-ke/du-lieu.csv", stats_csv, name="stats-csv"),
    path("thong-ke/du-lieu.json", stats_json, name="stats-json"),
]
