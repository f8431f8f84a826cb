"""Settings for Một Cửa, read from the environment; the defaults run the embedded service (SQLite under var/)."""
import sys
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from motcua.envconf import env_bool, env_int, env_list, env_secret, env_str
from motcua.objectstore import s3_storage_from_env
from motcua.security_headers import DEFAULT_POLICY as DEFAULT_CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("MOTCUA_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
# The embedded demo (`make run`): DEBUG off, so a mistyped address shows the project's own error pages, yet plain
# HTTP on this machine: no HTTPS redirect, TLS-only cookies, HSTS or second factor, and the sandbox bank on.
DEMO = env_bool("MOTCUA_DEMO", False)
SECRET_KEY = env_secret("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and env_bool("MOTCUA_REQUIRE_SECRET_KEY", False):
        raise RuntimeError("SECRET_KEY (or SECRET_KEY_FILE) must be set in production")
    # Embedded default only: a fixed development key. Production sets SECRET_KEY.
    SECRET_KEY = "motcua-embedded-development-key-not-for-production"  # noqa: S105
# The embedded defaults, plus the HOST `make run` serves on (a LAN address) when it names one.
_SERVED_HOST = [env_str("HOST")] if env_str("HOST") not in ("", "0.0.0.0", "::") else []  # noqa: S104
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver", *_SERVED_HOST])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "motcua.audit",
    "motcua.workcal",
    "motcua.agencies",
    "motcua.accounts",
    "motcua.catalogue",
    "motcua.dossiers",
    "motcua.documents",
    "motcua.payments",
    "motcua.filings",
    "motcua.notifications",
    "motcua.ratings",
    "motcua.feedback",
    "motcua.surveys",
    "motcua.reports",
    "motcua.programme",
    "motcua.portal",
    "motcua.workspace",
    "motcua.api",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "motcua.security_headers.SecurityHeadersMiddleware",
    "motcua.hygiene.RequestHygieneMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "motcua.workspace.second_factor_gate.SecondFactorGateMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "motcua.urls"
WSGI_APPLICATION = "motcua.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "motcua" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "motcua.workspace.context_processors.workspace_access",
            ],
        },
    },
]

# Database: embedded SQLite under var/ unless DATABASE_URL names another (postgres://...).
DATABASE_URL = env_str("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
    if "postgresql" in DATABASES["default"]["ENGINE"] and not env_bool("DB_JIT", False):
        # PostgreSQL's JIT compiles the scoped dossier list (its EXISTS over steps is costed at ~1e9) for 9 s to run
        # a 50 ms query (docs/performance.md, "Over HTTP"); off unless DB_JIT=1.
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "motcua.sqlite3",
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# SQLite builds covering indexes without their INCLUDE columns; PostgreSQL (production) uses them.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Citizen passwords also need letters and digits, 10 or more (accounts/passwords.py adds that rule to these).
# The OIDC backend is added below when an identity provider is configured.
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "workspace:login"
LOGIN_REDIRECT_URL = "workspace:home"
LOGOUT_REDIRECT_URL = "workspace:login"
# The citizens' login on the portal (portal/access.py sends anonymous visitors of citizen pages there).
PORTAL_LOGIN_URL = "/tai-khoan/dang-nhap/"

# Citizen accounts (docs/citizens.md): limits per client address, and how long verification links and codes last.
CITIZEN_LOGIN_ATTEMPTS = env_int("CITIZEN_LOGIN_ATTEMPTS", 10)  # failed sign-ins per ACCOUNT per window
CITIZEN_LOGIN_WINDOW_SECONDS = env_int("CITIZEN_LOGIN_WINDOW_SECONDS", 900)
# Failed sign-ins per client ADDRESS per window, whatever the account: large, as offices share one connection.
LOGIN_ADDRESS_ATTEMPTS = env_int("LOGIN_ADDRESS_ATTEMPTS", 200)
CITIZEN_REGISTER_ATTEMPTS = env_int("CITIZEN_REGISTER_ATTEMPTS", 5)  # registrations, resends and resets per window
CITIZEN_REGISTER_WINDOW_SECONDS = env_int("CITIZEN_REGISTER_WINDOW_SECONDS", 3600)
CITIZEN_VERIFY_EMAIL_MAX_AGE = env_int("CITIZEN_VERIFY_EMAIL_MAX_AGE", 3 * 24 * 3600)
CITIZEN_SMS_CODE_MAX_AGE = env_int("CITIZEN_SMS_CODE_MAX_AGE", 600)
CITIZEN_SMS_CODE_TRIES = env_int("CITIZEN_SMS_CODE_TRIES", 5)
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 24 * 3600)

# Login through an external OpenID Connect provider (VNeID): on only when these are all set (accounts/oidc.py).
OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = env_secret("OIDC_RP_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = env_str("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_OP_JWKS_ENDPOINT", "") or None
OIDC_RP_SIGN_ALGO = env_str("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env_str("OIDC_RP_SCOPES", "openid profile email phone")
OIDC_USE_PKCE = env_bool("OIDC_USE_PKCE", True)
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT", 10)
OIDC_CLAIM_ID_NUMBER = env_str("OIDC_CLAIM_ID_NUMBER", "id_number")
OIDC_CLAIM_NAME = env_str("OIDC_CLAIM_NAME", "name")
OIDC_LOGIN_LABEL = env_str("OIDC_LOGIN_LABEL", "") or _("Đăng nhập bằng tài khoản định danh điện tử (VNeID)")
OIDC_AUTHENTICATION_CALLBACK_URL = "portal:oidc-callback"
if all((OIDC_RP_CLIENT_ID, OIDC_RP_CLIENT_SECRET, OIDC_OP_AUTHORIZATION_ENDPOINT, OIDC_OP_TOKEN_ENDPOINT,
        OIDC_OP_USER_ENDPOINT)):
    AUTHENTICATION_BACKENDS.append("motcua.accounts.oidc.CitizenOIDCBackend")

# Vietnamese first, English available (docs/i18n.md).
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "motcua" / "locale"]
USE_I18N = True
TIME_ZONE = env_str("TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_TZ = True
FORMAT_MODULE_PATH = ["motcua.formats"]

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "motcua" / "static"]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "media/"
# Signed electronic results (docs/adr/0006-signed-results.md): one PKCS#12 per agency plus the CA certificate.
SIGNING_KEYS_DIR = Path(env_str("SIGNING_KEYS_DIR", str(VAR_DIR / "keys")))
SIGNING_P12_PASSPHRASE = env_secret("SIGNING_P12_PASSPHRASE", "demo")
VERIFY_ATTEMPTS = env_int("VERIFY_ATTEMPTS", 20)
VERIFY_WINDOW_SECONDS = env_int("VERIFY_WINDOW_SECONDS", 3600)
VERIFY_MAX_BYTES = env_int("VERIFY_MAX_BYTES", 20 * 1024 * 1024)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", False)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", True)
# Attachments on S3-compatible object storage (MinIO, Ceph, a cloud's S3) when S3_BUCKET is set, else local disk:
# private objects, signed short-lived links, downloads through the checked views (motcua/objectstore.py, ADR 0011).
STORAGES["default"] = s3_storage_from_env() or STORAGES["default"]

# The calendar tables a process keeps at most this long (workcal/services.py; a change is seen at once anyway).
WORKCAL_TABLES_SECONDS = env_int("WORKCAL_TABLES_SECONDS", 60)

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env_str("CACHE_URL")}
        if env_str("CACHE_URL")
        # Without Redis, a file cache every process of this host shares (sign-in budgets, calendar stamp): a
        # per-process memory cache gave each worker its own budget (issue 13 section 4). Several hosts: CACHE_URL.
        else {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
              "LOCATION": env_str("CACHE_DIR", str(VAR_DIR / "cache"))}
    )
}

SESSION_COOKIE_HTTPONLY = True
# Production (DEBUG off, outside the test run) gets TLS-only cookies, HSTS and the HTTPS redirect by default;
# each can be turned off by its variable (docs/security.md). The test run and `make run` (MOTCUA_DEMO) serve plain HTTP.
TESTING = env_bool("MOTCUA_TESTING", "pytest" in sys.modules)
_PRODUCTION = not DEBUG and not TESTING and not DEMO
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", _PRODUCTION)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", _PRODUCTION)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", _PRODUCTION)
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto (deploy/): without it the redirect would loop.
if env_bool("SECURE_PROXY_SSL", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG or DEMO else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not (DEBUG or DEMO))
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not (DEBUG or DEMO))
# Content-Security-Policy of every answer (motcua/security_headers.py): no inline script, no framing.
CONTENT_SECURITY_POLICY = env_str("CONTENT_SECURITY_POLICY", DEFAULT_CSP)
# A form sent without a valid CSRF token gets the project's page (motcua/error_pages.py), not Django's English one.
CSRF_FAILURE_VIEW = "motcua.error_pages.csrf_failure"
# A staff session ends this many seconds after sign-in (workspace/views.py StaffLoginView); citizens keep the default.
STAFF_SESSION_SECONDS = env_int("STAFF_SESSION_SECONDS", 8 * 3600)
# Leaders, supervisors and administrators confirm a TOTP code after their password (motcua/accounts/second_factor.py)
# in production; off in DEBUG (the demo) and the test run unless turned on.
STAFF_OTP_REQUIRED = env_bool("STAFF_OTP_REQUIRED", _PRODUCTION)
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Một Cửa")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PARSER_CLASSES": [
        "motcua.api.parsers.LimitedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "motcua.api.schema.ApiAutoSchema",
    "EXCEPTION_HANDLER": "motcua.api.errors.exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("API_ANON_RATE", "120/minute"),
        "auth": env_str("API_AUTH_RATE", "10/minute"),
    },
    # How many reverse proxies sit in front (1 behind nginx): without it X-Forwarded-For could dodge throttles.
    "NUM_PROXIES": env_int("API_NUM_PROXIES", 0),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Một Cửa API",
    "DESCRIPTION": "REST API v1 of Một Cửa: the procedure catalogue and (later) dossiers.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and Redoc assets come from the installed sidecar package, never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {"DeliveryEnum": "motcua.dossiers.models.Delivery",
                            "CitizenKindEnum": "motcua.accounts.models.CitizenKind",
                            # The rating scale 1-5, sent as plain numbers (api/ratings.py): one enum, three questions.
                            "SatisfactionLevelEnum": [(n, n) for n in range(1, 6)]},
}

# Public address used in QR codes and messages; dossier attachment limits.
# The address printed on papers, QR codes and SMS links: by default the one actually served (`make run` passes
# HOST and PORT to every command), never a fixed port (issue 12 item 10).
PUBLIC_BASE_URL = env_str("PUBLIC_BASE_URL", f"http://{env_str('HOST', '127.0.0.1')}:{env_str('PORT', '8000')}")
DOSSIER_MAX_FILE_BYTES = env_int("DOSSIER_MAX_FILE_BYTES", 20 * 1024 * 1024)
DOSSIER_MAX_FILES = env_int("DOSSIER_MAX_FILES", 40)
# Online payment (motcua.payments; docs/payments.md). Gateways are off unless configured.
VNPAY_TMN_CODE = env_str("VNPAY_TMN_CODE", "")
VNPAY_HASH_SECRET = env_secret("VNPAY_HASH_SECRET", "")
VNPAY_PAYMENT_URL = env_str("VNPAY_PAYMENT_URL", "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html")
PAYMENTS_SANDBOX = env_bool("PAYMENTS_SANDBOX", DEBUG or DEMO)
PAYMENTS_EXPIRE_MINUTES = env_int("PAYMENTS_EXPIRE_MINUTES", 15)
# Tracking without an account (/tra-cuu/): lookups allowed per client address per window (shared cache in production).
TRACKING_ATTEMPTS = env_int("TRACKING_ATTEMPTS", 10)
TRACKING_WINDOW_SECONDS = env_int("TRACKING_WINDOW_SECONDS", 600)
# Satisfaction ratings (motcua.ratings; docs/ratings.md): link validity, kiosk window, minimum count for a rank.
RATINGS_LINK_DAYS = env_int("RATINGS_LINK_DAYS", 30)
RATINGS_KIOSK_MINUTES = env_int("RATINGS_KIOSK_MINUTES", 30)
RATINGS_MIN_FOR_RANKING = env_int("RATINGS_MIN_FOR_RANKING", 10)
# Decree 61/2018 evaluations (motcua.reports, issue 9): fewer completed dossiers in the quarter: not ranked.
EVALUATION_MIN_DOSSIERS = env_int("EVALUATION_MIN_DOSSIERS", 10)
# Supervision figures are cached this long (seconds) per reach and period; 0 computes them on every view. The suite
# computes them afresh (a test turns the cache on); docs/indicators.md "How they are kept fast".
REPORTS_CACHE_SECONDS = env_int("REPORTS_CACHE_SECONDS", 0 if TESTING else 60)
# A report job whose run has shown no sign of life for this long is taken to be dead and is taken over by the next run
# of its task (a worker killed mid-way). Keep it above the slowest step of a report (gathering, rendering).
REPORTS_EXPORT_STALE_SECONDS = env_int("REPORTS_EXPORT_STALE_SECONDS", 900)
# JSON bodies (API intake with base64 scans) are refused above this size before being read.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 64 * 1024 * 1024)
# Multipart bodies (uploads) are refused above this size from their Content-Length (motcua/hygiene.py).
REQUEST_MAX_UPLOAD_BYTES = env_int("REQUEST_MAX_UPLOAD_BYTES", 64 * 1024 * 1024)
# JSON bodies nested deeper than this are refused by the API's parser (400), never a RecursionError.
API_JSON_MAX_DEPTH = env_int("API_JSON_MAX_DEPTH", 32)
# Idempotency-Key answers are kept this long (motcua/api/idempotency.py).
IDEMPOTENCY_KEY_HOURS = env_int("IDEMPOTENCY_KEY_HOURS", 24)

# Upload limits for catalogue imports.
CATALOGUE_IMPORT_MAX_BYTES = env_int("CATALOGUE_IMPORT_MAX_BYTES", 10 * 1024 * 1024)

# Tasks: Celery with a broker (Redis) in production; without CELERY_BROKER_URL tasks run in-process.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TIMEZONE = TIME_ZONE
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task is acknowledged when it has run, not when a worker takes it, and a worker killed in the middle of it
# (SIGKILL, out of memory) gives it back: the task runs again elsewhere, so its handler must be idempotent
# (docs/operations.md "A worker killed in the middle of a task").
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# On Redis an unacknowledged task goes back to the queue this many seconds after it was taken (then another worker
# runs it). Keep it above the longest task and the longest countdown; the worker-kill test makes it short.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600)}
CELERY_BEAT_SCHEDULE = {
    "notifications.deliver-outbox": {
        "task": "motcua.notifications.deliver_outbox",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    "dossiers.remind-due-soon": {"task": "motcua.dossiers.tasks.remind_due_soon", "schedule": 900.0},
    "feedback.jobs": {"task": "motcua.feedback.tasks.feedback_jobs", "schedule": 900.0},
    "programme.remind-reports": {"task": "motcua.programme.tasks.remind_reports", "schedule": 3600.0},
}
# In-process jobs for the embedded service (make run without a broker): outbox delivery and reminders.
MOTCUA_INPROCESS_JOBS = env_bool("MOTCUA_INPROCESS_JOBS", False)
MOTCUA_INPROCESS_SCHEDULE: list[tuple[str, int]] = [("motcua.dossiers.tasks.remind_due_soon", 900)]
MOTCUA_INPROCESS_SCHEDULE.append(("motcua.feedback.tasks.feedback_jobs", 900))  # feedback reminders (issue 8)
MOTCUA_INPROCESS_SCHEDULE.append(("motcua.programme.tasks.remind_reports", 3600))
NOTIFY_INPROCESS_INTERVAL_SECONDS = env_int("NOTIFY_INPROCESS_INTERVAL_SECONDS", 60)

# Notifications: the outbox and its providers.
NOTIFY_MAX_ATTEMPTS = env_int("NOTIFY_MAX_ATTEMPTS", 8)
NOTIFY_RETRY_BASE_SECONDS = env_int("NOTIFY_RETRY_BASE_SECONDS", 60)
NOTIFY_RETRY_MAX_SECONDS = env_int("NOTIFY_RETRY_MAX_SECONDS", 3600)
NOTIFY_STUCK_AFTER_SECONDS = env_int("NOTIFY_STUCK_AFTER_SECONDS", 600)
NOTIFY_BATCH_SIZE = env_int("NOTIFY_BATCH_SIZE", 100)
# After this many temporary failures in a row on one channel, one alert per outage (log + e-mail to ADMINS).
NOTIFY_ALERT_AFTER = env_int("NOTIFY_ALERT_AFTER", 5)
# A pending message whose retry is overdue by more than this is listed as stuck (no worker is delivering).
NOTIFY_OVERDUE_AFTER_SECONDS = env_int("NOTIFY_OVERDUE_AFTER_SECONDS", 600)
# Who gets operational alerts by e-mail (Django's ADMINS): comma-separated addresses.
ADMINS = [("", address) for address in env_list("ADMINS", [])]
SMS_PROVIDER = env_str("SMS_PROVIDER", "motcua.notifications.providers.LoggingSmsProvider")
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Một Cửa <no-reply@localhost>")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint reports every rendering step at INFO ("weasyprint.progress"); only its warnings matter here.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

# The reform programme's reports (QĐ 1908/QĐ-UBND IV.5): quarterly by this day of the quarter's last month, yearly by
# (month, day); reminders this many days before.
PROGRAMME_QUARTER_REPORT_DAY = env_int("PROGRAMME_QUARTER_REPORT_DAY", 15)
PROGRAMME_YEAR_REPORT_DUE = (12, env_int("PROGRAMME_YEAR_REPORT_DAY", 15))
PROGRAMME_REMIND_DAYS_BEFORE = env_int("PROGRAMME_REMIND_DAYS_BEFORE", 7)
