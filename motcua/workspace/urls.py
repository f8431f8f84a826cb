"""Routes of the staff workspace."""
from django.contrib.auth import views as auth_views
from django.urls import path

from motcua.workspace import (
    audit_views,
    dossier_views,
    export_views,
    feedback_views,
    outbox_views,
    programme_views,
    rating_views,
    report_views,
    second_factor_views,
    staff_views,
    views,
)

app_name = "workspace"

urlpatterns = [
    path("", views.home, name="home"),
    path("dang-nhap/", views.StaffLoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("co-quan/", views.agency_list, name="agency-list"),
    path("thu-tuc/", views.catalogue_list, name="catalogue-list"),
    path("thu-tuc/them/", views.procedure_new, name="procedure-new"),
    path("thu-tuc/nhap/", views.catalogue_import_view, name="catalogue-import"),
    path("thu-tuc/xuat.<str:fmt>", views.catalogue_export_view, name="catalogue-export"),
    path("thu-tuc/<str:code>/", views.procedure_view, name="procedure-view"),
    path("thu-tuc/<str:code>/sua/", views.procedure_edit, name="procedure-edit"),
    path("thu-tuc/<str:code>/cong-bo/", views.procedure_publish_view, name="procedure-publish"),
    path("lich/", views.calendar_view, name="calendar"),
    path("lich/<int:pk>/xoa/", views.calendar_remove, name="calendar-remove"),
    # Dossiers: the fixed words come before <code>, which would otherwise swallow them.
    path("ho-so/", dossier_views.dossier_queue, name="dossier-queue"),
    path("ho-so/tiep-nhan/", dossier_views.dossier_intake, name="dossier-intake"),
    path("ho-so/so-theo-doi/", dossier_views.logbook_view, name="dossier-logbook"),
    path("ho-so/so-theo-doi/tai-ve.<str:fmt>", dossier_views.logbook_download, name="dossier-logbook-download"),
    path("ho-so/<str:code>/", dossier_views.dossier_detail, name="dossier-detail"),
    path("ho-so/<str:code>/thao-tac/<str:action>/", dossier_views.dossier_action, name="dossier-action"),
    path("ho-so/<str:code>/tep/<int:pk>/", dossier_views.attachment_download, name="dossier-attachment"),
    path("ho-so/<str:code>/giay-to/<str:form>.pdf", dossier_views.paper_download, name="dossier-paper"),
    # Ratings (motcua.ratings): supervisors' rates, flags to follow up, the desk's kiosk.
    path("danh-gia/", rating_views.rates_view, name="rating-rates"),
    path("danh-gia/tai-ve.xlsx", rating_views.rates_download, name="rating-rates-download"),
    path("danh-gia/can-xu-ly/", rating_views.flag_list, name="rating-flags"),
    path("danh-gia/can-xu-ly/<int:pk>/", rating_views.flag_follow_up, name="rating-flag-follow-up"),
    path("danh-gia/kiosk/", rating_views.kiosk, name="rating-kiosk"),
    # Feedback and petitions (motcua.feedback, issue 8).
    path("phan-anh/", feedback_views.feedback_queue, name="feedback-queue"),
    path("phan-anh/<str:code>/", feedback_views.feedback_detail, name="feedback-detail"),
    path("phan-anh/<str:code>/thao-tac/<str:action>/", feedback_views.feedback_action, name="feedback-action"),
    # The reform programme (motcua.programme, QĐ 1908/QĐ-UBND).
    path("chuong-trinh/", programme_views.overview, name="programme"),
    path("chuong-trinh/nhap/", programme_views.import_view, name="programme-import"),
    path("chuong-trinh/anh-xa/", programme_views.mapping_view, name="programme-mapping"),
    path("chuong-trinh/cua-toi/", programme_views.my_tasks, name="programme-mine"),
    path("chuong-trinh/can-theo-doi/", programme_views.queue_view, name="programme-queue"),
    path("chuong-trinh/chi-tieu/", programme_views.targets_view, name="programme-targets"),
    path("chuong-trinh/chi-tieu/<int:pk>/", programme_views.target_view, name="programme-target"),
    path("chuong-trinh/nhiem-vu/<int:pk>/", programme_views.task_view, name="programme-task"),
    path("chuong-trinh/nhiem-vu/<int:pk>/han/", programme_views.task_set_due, name="programme-task-due"),
    path("chuong-trinh/nhiem-vu/<int:pk>/bao-cao/", programme_views.report_save, name="programme-report-save"),
    path("chuong-trinh/bao-cao/<int:pk>/<str:action>/", programme_views.report_action,
         name="programme-report-action"),
    path("chuong-trinh/tep/<int:pk>/", programme_views.evidence_download, name="programme-evidence"),
    path("chuong-trinh/bao-cao-tinh.<str:fmt>", programme_views.province_report, name="programme-report"),
    # Supervision dashboards (motcua.reports, issue 9): province → agency → procedure → the dossiers behind.
    path("thong-ke/", report_views.dashboard_view, name="report-dashboard"),
    path("thong-ke/co-quan/<int:pk>/", report_views.agency_view, name="report-agency"),
    path("thong-ke/co-quan/<int:pk>/thu-tuc/<str:code>/", report_views.procedure_view, name="report-procedure"),
    path("thong-ke/ho-so/<str:name>/", report_views.dossiers_view, name="report-dossiers"),
    path("nhat-ky-kiem-toan/", audit_views.audit_log, name="audit-log"),  # issue 13 section 5
    path("nhat-ky-kiem-toan/tai-ve.xlsx", audit_views.audit_export, name="audit-export"),
    path("tin-nhan-bi-ket/", outbox_views.stuck_list, name="outbox-stuck"),  # issue 13 section 3
    path("tin-nhan-bi-ket/gui-lai/", outbox_views.stuck_resend, name="outbox-stuck-resend"),
    path("xac-thuc/", second_factor_views.otp_verify, name="otp-verify"),
    path("xac-thuc/dang-ky/", second_factor_views.otp_enrol, name="otp-enrol"),
    # Administrators: staff accounts and the reset of a lost second-factor device (issue 13 section 5).
    path("can-bo/", staff_views.staff_search, name="staff-search"),
    path("can-bo/<int:pk>/xac-thuc-hai-lop/", staff_views.staff_second_factor, name="staff-second-factor"),
    # Supervision (motcua.reports, issue 9): report exports and evaluations.
    path("thong-ke/bao-cao/", export_views.export_list, name="report-exports"),
    path("thong-ke/bao-cao/<int:pk>/tai-ve/", export_views.export_download, name="report-export-download"),
    path("thong-ke/danh-gia/nghi-dinh-61/", export_views.decree61_view, name="evaluation-decree61"),
    path("thong-ke/danh-gia/nghi-dinh-61/cham-diem/", export_views.decree61_score, name="evaluation-decree61-score"),
    path("thong-ke/danh-gia/chi-so-766/", export_views.index766_view, name="evaluation-index766"),
    path("thong-ke/danh-gia/can-bo/", export_views.officials_view, name="evaluation-officials"),
    path("thong-ke/danh-gia/diem-nghen/", export_views.bottlenecks_view, name="evaluation-bottlenecks"),
]
