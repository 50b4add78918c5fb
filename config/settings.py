"""Chirp settings: one module, read from the environment.

With no environment variables this is the embedded default of SPEC §3: the
PostgreSQL and Redis servers of config/embedded, data in `.data/`.
`DATABASE_URL` and `REDIS_URL` name the stack's servers instead; `PRODUCTION=1`
turns on the deploy hardening that `manage.py check --deploy` looks for.
"""

from datetime import timedelta
from pathlib import Path

import environ
import jinja2
from django.utils.csp import CSP

from config import embedded
from config.embedded import vapid as embedded_vapid
from config.kernel.api import oauth_scopes
from config.kernel.redis import celery_broker_url
from config.kernel.sql import check_pooled_connection

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")  # optional; a missing file is fine

PRODUCTION = env.bool("PRODUCTION", default=False)
DEBUG = env.bool("DEBUG", default=not PRODUCTION)

if PRODUCTION:
    SECRET_KEY = env.str("SECRET_KEY")  # no fallback: refuse to start without one
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
else:
    SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-change-me-in-production-0123456789")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "daphne",  # must precede staticfiles: its runserver serves ASGI and WebSockets
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "channels",
    "rest_framework",
    "knox",
    "oauth2_provider",  # OAuth 2 for third-party apps (issue 21)
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "config.kernel",
    "accounts",
    "tweets",
    "social",  # holds only the migration history from before the split below
    "social.graph",
    "social.messages",
    "social.moderation",
    "social.mastodon",  # Mastodon's client API (issue 22)
    "timelines",
    "notifications",
    "search",
    "config",  # last: config/wiring.py connects the hooks once every app is loaded
]

MIDDLEWARE = [
    "config.kernel.middleware.ServerTimingMiddleware",
    "config.kernel.request_context.RequestContextMiddleware",
    # The visitor's language (cookie, Accept-Language) from the start, so every response is in it.
    "config.kernel.languages.LanguageMiddleware",
    "config.kernel.guards.RetryAfterMiddleware",  # every 429 says when to come back
    "config.kernel.uploads.UploadLimitMiddleware",  # a file past VIDEO_MAX_BYTES: 413 as it streams in
    "config.kernel.guards.NulByteMiddleware",  # NUL in a path, query or body: 400 before anything looks it up
    "config.metrics.RequestMetricsMiddleware",
    "config.kernel.routers.ReplicaMiddleware",  # only with DATABASE_REPLICA_URL (it removes itself otherwise)
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "config.kernel.timezones.TimeZoneMiddleware",  # after auth: the reader's own setting first
    "config.kernel.languages.UserLanguageMiddleware",  # after auth: a signed-in reader's chosen language
    # After auth: records the session (Settings > Security), sends staff without 2FA away from the admin.
    "accounts.middleware.SecurityMiddleware",
    # Last, so its process_exception is asked first: a GET whose database connection died is run once more.
    "config.kernel.middleware.RetryReadMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "config.context_processors.site",
                "django.template.context_processors.i18n",  # LANGUAGE_CODE for <html lang> and the JS catalogue
                "django.template.context_processors.csp",
            ],
            # In every template without a {% load %}: our {% url %} (the same, faster) and {% icon %}.
            # And i18n's {% translate %} and {% blocktranslate %}: every page's words are translatable.
            "builtins": ["config.kernel.template_urls", "accounts.templatetags.chirp", "django.templatetags.i18n"],
        },
    },
    {
        # The post card only (tweets/cards.py): compiled to Python, it renders several times faster.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "tweets.cards.environment", "undefined": jinja2.Undefined},
    },
]

# --- Data stores -----------------------------------------------------------

# DATABASE_URL and REDIS_URL name the stack's servers (production). Each one left
# out means the embedded server of SPEC §3 in the data folder (config/embedded):
# real PostgreSQL and Redis from pip wheels, started by `make run`, or by manage.py
# on first use. Either way it is the same PostgreSQL and Redis code path.
DATA_DIR = embedded.data_dir()  # CHIRP_DATA_DIR, else .data/ (git-ignored)
_embedded = embedded.Services(DATA_DIR)

DATABASE_URL = env.str("DATABASE_URL", default="") or _embedded.postgres.url
DATABASES = {"default": env.db_url_config(DATABASE_URL)}
SEARCH_SIMILARITY = env.float("SEARCH_SIMILARITY", default=0.2)  # pg_trgm's 0.3 misses "jonh" for "john" (0.25)
SEARCH_WORD_SIMILARITY = env.float("SEARCH_WORD_SIMILARITY", default=0.5)  # longer queries, against words
PREPARE_AFTER = env.str("DATABASE_PREPARE_THRESHOLD", default="5")
DATABASES["default"].setdefault("OPTIONS", {}).update(
    {
        # Set per connection so the trigram operators (and their indexes) use them.
        "options": (
            f"-c pg_trgm.similarity_threshold={SEARCH_SIMILARITY} "
            f"-c pg_trgm.word_similarity_threshold={SEARCH_WORD_SIMILARITY}"
        ),
        # Parameters travel apart from the SQL, so psycopg doesn't interpolate them
        # client-side.
        "server_side_binding": env.bool("DATABASE_SERVER_SIDE_BINDING", default=True),
        # A statement run this many times on a connection is prepared there: PostgreSQL
        # then stops parsing and planning it anew, which was two thirds of its CPU for a
        # home timeline (docs/PERFORMANCE.md, "Prepared statements"). Searches opt out
        # (config/kernel/sql.py planned_each_time): a common word needs another plan
        # than a rare one. Empty: never prepare (PgBouncer before 1.21 in transaction mode).
        "prepare_threshold": int(PREPARE_AFTER) if PREPARE_AFTER else None,
    }
)
if env.bool("DATABASE_POOL", default=True):
    # A pool per process (psycopg_pool): under ASGI each request may run on a new
    # thread, and per-thread persistent connections would pile up past max_connections.
    DATABASES["default"]["OPTIONS"]["pool"] = {
        "min_size": env.int("DATABASE_POOL_MIN", default=2),
        "max_size": env.int("DATABASE_POOL_MAX", default=8),
        # Every connection handed out is checked first (a round trip), so one whose backend
        # was terminated, or died while idle, is replaced rather than failing a request.
        "check": check_pooled_connection,
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache, Celery broker, channel layer, timelines, trends, presence, abuse counters.
REDIS_URL = env.str("REDIS_URL", default="") or _embedded.redis.url
CACHES = {
    "default": {
        # Django's RedisCache with short timeouts behind config/kernel/redis.py's breaker, failing soft
        # (a miss, a dropped write) while Redis can't be reached.
        "BACKEND": "config.kernel.cache.FailSoftRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "cache",
    }
}


def channel_layer(url: str) -> dict:
    # channels-redis waits up to 5 s on Redis for the next event; redis-py's default
    # socket timeout is also 5 s, which killed idle sockets. Allow the wait with room.
    host = {"address": url, "socket_timeout": 15, "socket_connect_timeout": 2}
    return {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [host], "prefix": "chirp:ws"}}


def cluster_channel_layer(url: str) -> dict:
    # channels-redis's RedisChannelLayer keeps keyed lists, which a cluster node answers with MOVED;
    # its pub/sub layer only PUBLISHes and SUBSCRIBEs, and a cluster delivers a PUBLISH made on any
    # node to subscribers on every node (docs/DECISIONS.md, "Redis Cluster"). One seed node per shard.
    hosts = [{"address": f"redis://{node}", "socket_timeout": 15, "socket_connect_timeout": 2}
             for node in url.partition("://")[2].split("/")[0].split(",")]  # fmt: skip
    layer = "channels_redis.pubsub.RedisPubSubChannelLayer"
    return {"BACKEND": layer, "CONFIG": {"hosts": hosts, "prefix": "chirp:ws"}}


CHANNEL_LAYERS = {"default": channel_layer(REDIS_URL)}
SESSION_ENGINE = "config.kernel.sessions"  # cached_db that keeps working while Redis is down

# --- Celery ----------------------------------------------------------------

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="") or celery_broker_url(REDIS_URL)
CELERY_RESULT_BACKEND = None  # tasks report through the database, not results
# Tasks run in a worker; the tests turn this on to run them in place (a worker-run test turns it off).
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# One message per pool process at a time: a worker that dies holds nothing beyond what it was running.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Faults (docs/DECISIONS.md, "Failures"). Which broker decides how a dying worker's task comes back:
# RabbitMQ (amqp://, docs/OPERATIONS.md "RabbitMQ as the broker") requeues an unacknowledged
# message the moment the worker's connection closes; Redis has no such signal, so kombu hands it
# out again after CELERY_VISIBILITY_TIMEOUT seconds. No task runs, or waits to be retried, that long:
# long ones work in slices of TASK_SLICE_SECONDS or run once at a time (config/kernel/tasks.py),
# and retries back off to 20 s at most (also well inside RabbitMQ's 30-minute consumer_timeout).
CELERY_BROKER_IS_AMQP = CELERY_BROKER_URL.split("://")[0] in ("amqp", "amqps", "pyamqp")
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=30)
TASK_SLICE_SECONDS = 20
# With amqp, each publish waits for the broker's ack (publisher confirms): a message RabbitMQ
# refused or lost raises in enqueue() (logged, caught up) instead of vanishing. That wait is
# bounded by CELERY_CONFIRM_TIMEOUT (passed by config/kernel/tasks.py) so a hung broker fails
# the publish rather than holding a request, and opens the broker's breaker like a hung Redis.
CELERY_CONFIRM_TIMEOUT = 1
if CELERY_BROKER_IS_AMQP:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"confirm_publish": True}
else:
    # Redis-only: kombu's emulation of acknowledgements. Every unacknowledged message is swept
    # every 5 s and requeued once it is older than the visibility timeout (kombu's default: an hour).
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
        "unacked_restore_interval": 5,
        "unacked_restore_throttle": 1,
        "unacked_mutex_expire": 30,  # a worker killed while restoring blocks others this long at most
        # Publishing and the worker's own calls are bounded: a hung Redis fails them, it doesn't hold them.
        "socket_timeout": 0.3,
        "socket_connect_timeout": 0.3,
        "health_check_interval": 10,
        "retry_on_timeout": False,
    }
CELERY_BROKER_CONNECTION_TIMEOUT = 0.3
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None  # a worker waits for its broker as long as it takes
# One immediate retry on a stale connection (Redis restarted); a broker that is down fails the
# publish at once (logged by config/kernel/tasks.py, repaired by the catch-ups), not after 0.65 s of backoff.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0, "interval_max": 0}
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# In the data folder, so two checkouts' beats on one machine don't share a schedule.
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")

# --- Auth and accounts -----------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"

ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm", "login": "accounts.forms.LoginForm"}
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*"]
ACCOUNT_UNIQUE_EMAIL = True
# Say plainly that an email is taken (as Twitter does); usernames are public anyway,
# and the sign-up rate limits bound any probing.
ACCOUNT_PREVENT_ENUMERATION = False
ACCOUNT_PRESERVE_USERNAME_CASING = True  # shown as typed; uniqueness ignores case
ACCOUNT_USERNAME_MIN_LENGTH = 1
ACCOUNT_USERNAME_VALIDATORS = "accounts.validators.username_validators"
ACCOUNT_USERNAME_BLACKLIST = [
    "admin", "api", "settings", "explore", "home", "messages", "notifications",
    "search", "hashtag", "accounts", "static", "media", "healthz", "metrics",
]  # fmt: skip
ACCOUNT_EMAIL_VERIFICATION = env.str("ACCOUNT_EMAIL_VERIFICATION", default="optional")
# allauth's subjects start "[<site name>] ", which without the sites framework is the request's host and port.
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Chirp: "
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_SESSION_REMEMBER = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# allauth's defaults, spelled out so the limits are visible and tunable.
ACCOUNT_RATE_LIMITS = {
    "login": env.str("RATE_LOGIN", default="30/m/ip"),
    "login_failed": False,  # counted by accounts/login_limits.py instead (per account and address apart)
    "signup": env.str("RATE_SIGNUP", default="20/h/ip"),  # sign-up attempts per address an hour
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "confirm_email": "1/180s/key",
}

# Two-factor login and passkeys (allauth.mfa; docs/DECISIONS.md "Two-factor login and passkeys").
MFA_ADAPTER = "accounts.adapter.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = env.str("MFA_TOTP_ISSUER", default="Chirp")
MFA_FORMS = {
    "authenticate": "accounts.mfa.AuthenticateForm",  # behind the wrong-code limits
    "reauthenticate": "accounts.mfa.ReauthenticateForm",
    "add_webauthn": "accounts.mfa.AddPasskeyForm",
}
# WebAuthn binds passkeys to the site's host (the relying party id, from the request's host) and
# needs https, except on http://localhost or 127.0.0.1 in development and the tests.
MFA_WEBAUTHN_RP_ID = env.str("MFA_WEBAUTHN_RP_ID", default="")  # e.g. chirp.example.com; empty: the request's host
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = env.bool("MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN", default=not PRODUCTION)
# Wrong second-factor codes (accounts/mfa.py), pages and API alike: per account, and per address over all accounts.
MFA_LIMIT_ACCOUNT = env.str("MFA_LIMIT_ACCOUNT", default="5/15m")
MFA_LIMIT_ADDRESS = env.str("MFA_LIMIT_ADDRESS", default="20/15m")
MFA_LOGIN_TOKEN_SECONDS = 300  # the API's second step (`mfaToken`) must follow the password within this
# Staff (moderators and superusers) reach the admin only with two-factor login turned on.
ADMIN_REQUIRE_MFA = env.bool("ADMIN_REQUIRE_MFA", default=not DEBUG)

# Failed logins (accounts/login_limits.py), counted apart: an account from one address,
# an account from anywhere, and an address over all accounts (high: many people share one).
LOGIN_LIMIT_ACCOUNT_ADDRESS = env.str("LOGIN_LIMIT_ACCOUNT_ADDRESS", default="5/5m")
LOGIN_LIMIT_ACCOUNT = env.str("LOGIN_LIMIT_ACCOUNT", default="20/h")
LOGIN_LIMIT_ADDRESS = env.str("LOGIN_LIMIT_ADDRESS", default="100/10m")

# Abuse limits (config/kernel/abuse.py), counted in Redis by the write services, so pages
# and API share them. "count/period" (period like 3h, d, 10m); empty turns one off.
# Per account, in the spirit of Twitter's: 300 posts (tweets, replies, quotes and
# retweets) in 3 hours, 400 follows (and follow requests), 1,000 likes and 500
# direct messages a day.
ABUSE_LIMITS = {
    "post": env.str("LIMIT_POST", default="300/3h"),
    "follow": env.str("LIMIT_FOLLOW", default="400/d"),
    "like": env.str("LIMIT_LIKE", default="1000/d"),
    "message": env.str("LIMIT_MESSAGE", default="500/d"),
    "upload": env.str("LIMIT_UPLOAD", default="100/h"),  # images, for posts, messages and profiles
}
# Per client address (IPv6 by /64): five times an account's. One address is often
# many people (a household, an office, a campus, a carrier's NAT), so it must let
# several heavy users through; its job is to stop one machine spreading a flood
# over many fresh accounts, which the account limits alone can't see.
ABUSE_LIMITS_PER_IP = {
    "post": env.str("LIMIT_POST_IP", default="1500/3h"),
    "follow": env.str("LIMIT_FOLLOW_IP", default="2000/d"),
    "like": env.str("LIMIT_LIKE_IP", default="5000/d"),
    "message": env.str("LIMIT_MESSAGE_IP", default="2500/d"),
    "upload": env.str("LIMIT_UPLOAD_IP", default="300/h"),
}
# The flood check: the same text (case and spacing ignored) by one account more than
# this often is refused, over a sliding window; posts and messages counted apart.
ABUSE_DUPLICATE_TEXT = env.str("LIMIT_DUPLICATE_TEXT", default="3/10m")

DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Chirp <no-reply@chirp.local>")
# Console by default; SMTP_HOST switches to real delivery (Django 6.1 mailers).
# Production must send real mail, so there it is required.
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
if PRODUCTION or env.str("SMTP_HOST", default=""):
    MAILERS["default"] = {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": env.str("SMTP_HOST"),
            "port": env.int("SMTP_PORT", default=587),
            "username": env.str("SMTP_USERNAME", default=""),
            "password": env.str("SMTP_PASSWORD", default=""),
            "use_tls": env.bool("SMTP_USE_TLS", default=True),
            "timeout": env.int("SMTP_TIMEOUT", default=20),  # a worker holds a row lock while it sends
        },
    }

# Email notifications (notifications/mail). One mail per kind per person per window: what
# arrives inside it goes out in one follow-up when it closes (the sweep runs every minute).
EMAIL_NOTIFICATION_WINDOW = env.int("EMAIL_NOTIFICATION_WINDOW", default=15 * 60)  # seconds
EMAIL_SEND_RETRIES = env.int("EMAIL_SEND_RETRIES", default=4)  # a refusing server: tries again this many times
EMAIL_RETRY_BACKOFF = env.int("EMAIL_RETRY_BACKOFF", default=60)  # seconds before the first retry, doubling
EMAIL_DIGEST_MAX_ITEMS = 50  # notifications listed in one mail; the rest are counted ("and 12 more")
EMAIL_BATCH = env.int("EMAIL_BATCH", default=2000)  # people one sweep (every minute) takes on, at most

# --- Media and static files -----------------------------------------------

STATIC_URL = "static/"
# Where collectstatic writes; a front server (deploy/nginx.conf) sends /static/ from here.
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = env.str("MEDIA_URL", default="/media/")
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(DATA_DIR / "media")))

AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Direct-message images: never at a public URL (config/kernel/storage.py).
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(DATA_DIR / "private_media")))
STORAGES["private"] = {"BACKEND": "config.kernel.storage.PrivateFileSystemStorage"}
PRIVATE_URL_SECONDS = env.int("PRIVATE_URL_SECONDS", default=300)  # how long a signed S3 URL for a private file works
if AWS_STORAGE_BUCKET_NAME:
    # S3 by settings alone; django-storages reads the AWS_* variables itself.
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("AWS_PRIVATE_STORAGE_BUCKET_NAME", default=AWS_STORAGE_BUCKET_NAME),
            "location": "private",
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": PRIVATE_URL_SECONDS,
            "file_overwrite": False,
        },
    }
    AWS_S3_ENDPOINT_URL = env.str("AWS_S3_ENDPOINT_URL", default=None)
    AWS_S3_REGION_NAME = env.str("AWS_S3_REGION_NAME", default=None)
    AWS_DEFAULT_ACL = None
    AWS_QUERYSTRING_AUTH = False  # public media; private DM media signs its own URLs
# Local media is served by the app unless a bucket (or a front server) does it.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=not AWS_STORAGE_BUCKET_NAME)

# Upload limits. Image checks decode the file; these cap what reaches them.
IMAGE_MAX_BYTES = env.int("IMAGE_MAX_BYTES", default=5 * 1024 * 1024)
IMAGE_MAX_PIXELS = env.int("IMAGE_MAX_PIXELS", default=40_000_000)
# Animations (GIF, WebP): the work of decoding is frames x pixels, so each is bounded before any
# decoding (config/kernel/images.py probe). A 2000x2000 GIF of 120 frames (471 KB) is refused in 2 ms.
ANIMATION_MAX_FRAMES = env.int("ANIMATION_MAX_FRAMES", default=350)
ANIMATION_MAX_SIDE = env.int("ANIMATION_MAX_SIDE", default=1280)
ANIMATION_MAX_PIXELS = env.int("ANIMATION_MAX_PIXELS", default=50_000_000)  # over all frames
DATA_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024

# Link preview cards (config/kernel/fetch.py, tweets/link_cards.py). The fetcher's limits, per page:
# one deadline for resolving, connecting and every read; bytes read at most; redirects followed.
SITE_URL = env.str("SITE_URL", default="http://localhost:8000")  # named in the fetcher's User-Agent
LINK_PREVIEWS = env.bool("LINK_PREVIEWS", default=True)  # off: posts get no cards, nothing is fetched
LINK_PREVIEW_TIMEOUT = env.float("LINK_PREVIEW_TIMEOUT", default=5.0)
LINK_PREVIEW_MAX_BYTES = env.int("LINK_PREVIEW_MAX_BYTES", default=1024 * 1024)
LINK_PREVIEW_IMAGE_MAX_BYTES = env.int("LINK_PREVIEW_IMAGE_MAX_BYTES", default=2 * 1024 * 1024)
LINK_PREVIEW_MAX_REDIRECTS = 3
LINK_PREVIEW_REFRESH = timedelta(days=1)  # a card older than this is fetched again when next posted
# Tests only: lets the fetcher reach 127.0.0.0/8 and ::1 (a local test server), never other private ranges.
LINK_PREVIEW_ALLOW_LOOPBACK = env.bool("LINK_PREVIEW_ALLOW_LOOPBACK", default=False)
LINK_PREVIEW_CA_BUNDLE = env.str("LINK_PREVIEW_CA_BUNDLE", default="")  # empty: certifi's (tests: their own CA)
FILE_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024
# Video (MP4, MOV, WebM; config/kernel/videos.py): checked from the header on the request, transcoded
# in a worker (config/kernel/transcode.py) in a child process with a time limit and a memory bound.
VIDEO_MAX_BYTES = env.int("VIDEO_MAX_BYTES", default=100 * 1024 * 1024)
VIDEO_MAX_SECONDS = env.int("VIDEO_MAX_SECONDS", default=140)  # 2 min 20 s
VIDEO_MAX_PIXELS = env.int("VIDEO_MAX_PIXELS", default=4096 * 4096)  # per frame, any shape
VIDEO_MAX_SIDE = 1280  # the transcoded file, on its long side
VIDEO_TRANSCODE_MAX_SECONDS = env.int("VIDEO_TRANSCODE_MAX_SECONDS", default=600)  # 2x duration + 30 s, at most this
VIDEO_TRANSCODE_MAX_MEMORY = env.int("VIDEO_TRANSCODE_MAX_MEMORY", default=1536 * 1024 * 1024)  # RLIMIT_AS of the child
# The largest body any request may send: a video and the form around it. Bigger ones get 413 before
# they are read (config/kernel/asgi_handler.py); files stream to disk past FILE_UPLOAD_MAX_MEMORY_SIZE.
REQUEST_MAX_BYTES = VIDEO_MAX_BYTES + 256 * 1024  # the form around the file: text, alt texts, a poll
FILE_UPLOAD_HANDLERS = [
    "config.kernel.uploads.LimitedUploadHandler",  # counts the bytes of each file: 413 past VIDEO_MAX_BYTES
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# --- API -------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Bearer first, so an anonymous API call gets 401 with WWW-Authenticate.
        "config.kernel.api.auth.BearerTokenAuthentication",
        # OAuth 2 access tokens (accounts/oauth.py), held to their scopes (config/kernel/api/endpoint_scopes.py);
        # after knox, which lets a bearer value it doesn't know through to this one.
        "config.kernel.api.auth.OAuthTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON bodies (SPEC §4); the upload endpoints add multipart themselves. Form encodings can't
    # carry JSON's types (true, null, nested objects), so they would blur what the schema promises.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "config.kernel.api.schema.ChirpAutoSchema",
    "EXCEPTION_HANDLER": "config.kernel.api.errors.api_exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "config.kernel.api.throttling.ClientThrottle",
        "config.kernel.api.throttling.ActionThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "ip": env.str("API_RATE_IP", default="1200/min"),
        "user": env.str("API_RATE_USER", default="1200/min"),
        "app": env.str("API_RATE_APP", default="3000/min"),  # all of one OAuth app's tokens together
        "signup": env.str("API_RATE_SIGNUP", default="20/hour"),
        "login": env.str("API_RATE_LOGIN", default="30/min"),
        "password_reset": env.str("API_RATE_PASSWORD_RESET", default="10/hour"),
        "link_preview": env.str("API_RATE_LINK_PREVIEW", default="60/min"),  # each new URL queues a fetch
    },
    "NUM_PROXIES": env.int("NUM_PROXIES", default=None),
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}


def _oauth_pkce_required(client_id: str) -> bool:
    from accounts.oauth import pkce_required  # DOT imports no dotted path for this one; apps load after settings

    return pkce_required(client_id)


# The OAuth 2 provider (django-oauth-toolkit; accounts/oauth.py, docs/DECISIONS.md "OAuth 2 provider").
OAUTH2_PROVIDER = {
    "SCOPES": oauth_scopes.SCOPES,
    "DEFAULT_SCOPES": ["read"],
    "OAUTH2_VALIDATOR_CLASS": "accounts.oauth.Validator",
    "ACCESS_TOKEN_EXPIRE_SECONDS": env.int("OAUTH_ACCESS_TOKEN_SECONDS", default=2 * 3600),
    "REFRESH_TOKEN_EXPIRE_SECONDS": env.int("OAUTH_REFRESH_TOKEN_SECONDS", default=90 * 24 * 3600),
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
    "ACCESS_TOKEN_GENERATOR": "accounts.oauth.new_access_token",
    "REFRESH_TOKEN_GENERATOR": "accounts.oauth.new_refresh_token",
    "ROTATE_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,  # a refresh token used twice revokes its whole family
    "PKCE_REQUIRED": _oauth_pkce_required,  # public clients must; confidential ones may
    "REQUEST_APPROVAL_PROMPT": "force",  # the consent page every time: an approval is never silent
    # RFC 9700: no implicit or password grant, S256 only, tokens stored as their SHA-256 only.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,  # header only, never ?access_token=
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,  # RFC 9207: the code's redirect names its issuer
    "ALLOWED_REDIRECT_URI_SCHEMES": env.list(
        "OAUTH_REDIRECT_SCHEMES", default=["https"] if PRODUCTION else ["https", "http"]
    ),
    "ALLOW_LOCALHOST_LOOPBACK": True,
}

# DOT's own models (not swapped: docs/DECISIONS.md "OAuth 2 provider"); named so migrations can refer to them.
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"

REST_KNOX = {
    "AUTH_HEADER_PREFIX": "Bearer",
    "TOKEN_TTL": None,  # tokens live until logout or revocation from settings
    "AUTO_REFRESH": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Chirp API",
    "DESCRIPTION": (
        "The Chirp REST API. JSON names are camelCase and every id is a string. "
        "Authenticate with `Authorization: Bearer <token>` (from /signup or /login). "
        "Lists take `cursor` and `limit` (1..100, default 20) and answer "
        '`{"<list>": [...], "nextCursor": "..." | null}`. Errors answer '
        '`{"error": "message", "fields": {...}}`. Creating POSTs accept an '
        "`Idempotency-Key` header. See docs/API.md for live events over `/ws/`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Two choice sets share the field name "state": each gets a name of its own.
    "ENUM_NAME_OVERRIDES": {
        "MediaStateEnum": ["processing", "ready", "failed"],
        "MediaTypeEnum": ["image", "gif", "video"],
        "FollowStateEnum": ["following", "requested", "none"],
        "NotificationEmailEnum": ["never", "immediately", "hourly", "daily"],
        # notifications.models.Notification.Verb's values (a notification's and a group's `type`)
        "NotificationTypeEnum": [
            "follow",
            "follow_request",
            "follow_accepted",
            "like",
            "retweet",
            "quote",
            "reply",
            "mention",
            "message",
            "export_ready",
            "post_removed",
            "poll_ended",
        ],
    },
    # The docs page's scripts come from drf-spectacular-sidecar's static files, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Mastodon's client API has its own document, /api/v1/schema/mastodon/ (social/mastodon/schema.py).
    "PREPROCESSING_HOOKS": ["social.mastodon.schema.without_mastodon"],
}
IDEMPOTENCY_KEY_TTL = timedelta(hours=24)

# Where pages open their live-events socket; empty means this origin's /ws/ (a proxy
# sends it to the ASGI server). `make stack` points it at the WebSocket port.
LIVE_EVENTS_URL = env.str("LIVE_EVENTS_URL", default="")
# Per person, open sockets (over the cap: close 4429); per socket, frames a client may
# send a minute (over it: an error frame, then close 1008). The page sends two a minute.
LIVE_SOCKETS_PER_USER = env.int("LIVE_SOCKETS_PER_USER", default=20)
LIVE_FRAMES_PER_MINUTE = env.int("LIVE_FRAMES_PER_MINUTE", default=60)
# Presence (notifications/presence.py): each consumer refreshes its socket this often,
# and a person counts as online while a socket of theirs refreshed within ONLINE_FOR.
PRESENCE_REFRESH_EVERY = env.float("PRESENCE_REFRESH_EVERY", default=30)
PRESENCE_ONLINE_FOR = env.float("PRESENCE_ONLINE_FOR", default=90)

# --- Product settings ------------------------------------------------------

# Every account `manage.py seed_demo` makes; published on purpose (seed_demo refuses production).
DEMO_PASSWORD = "chirp-demo-2026"  # noqa: S105

AVATAR_SIZE = 400
HEADER_SIZE = (1500, 500)
TWEET_EDIT_WINDOW = timedelta(minutes=env.int("TWEET_EDIT_WINDOW_MINUTES", default=30))
TWEET_MAX_IMAGES = 4
THUMBNAIL_SIZE = (1024, 1024)
UNATTACHED_MEDIA_TTL = timedelta(hours=24)

# Home timelines (timelines/store.py). Authors above the threshold are not fanned
# out; readers merge their recent entries instead (the celebrity hybrid).
TIMELINE_MAX_ENTRIES = env.int("TIMELINE_MAX_ENTRIES", default=800)
TIMELINE_TRIM_SLACK = env.int("TIMELINE_TRIM_SLACK", default=50)  # may run this far over between trims
TIMELINE_FANOUT_MAX_FOLLOWERS = env.int("TIMELINE_FANOUT_MAX_FOLLOWERS", default=10_000)
TIMELINE_FANOUT_BATCH = env.int("TIMELINE_FANOUT_BATCH", default=1000)
TIMELINE_INACTIVE_AFTER = timedelta(days=env.int("TIMELINE_INACTIVE_DAYS", default=30))
# Read every home timeline from SQL: an operator's switch, and the benchmark's baseline.
TIMELINE_READ_FROM_SQL = env.bool("TIMELINE_READ_FROM_SQL", default=False)

# Web Push (notifications/webpush). The VAPID pair names this site to the push services; every
# browser subscribed for its public key, so keep it. Unset outside production: a pair made once and
# kept in the data folder (config/embedded/vapid.py). Unset in production: no push (the page says so).
VAPID_PRIVATE_KEY = env.str("VAPID_PRIVATE_KEY", default="")
VAPID_PUBLIC_KEY = env.str("VAPID_PUBLIC_KEY", default="")
if not VAPID_PRIVATE_KEY and not PRODUCTION:
    VAPID_PRIVATE_KEY, VAPID_PUBLIC_KEY = embedded_vapid.kept_pair(DATA_DIR)
VAPID_SUBJECT = env.str("VAPID_SUBJECT", default="mailto:push@chirp.invalid")  # who the push services may contact
WEBPUSH_TTL = env.int("WEBPUSH_TTL", default=24 * 60 * 60)  # seconds a push service keeps one; retries stop then too
WEBPUSH_GROUP_WINDOW = env.int("WEBPUSH_GROUP_WINDOW", default=60)  # likes, retweets, follows: one push per window
WEBPUSH_TIMEOUT = env.float("WEBPUSH_TIMEOUT", default=10.0)  # connect and answer, per push
WEBPUSH_MAX_RETRIES = env.int("WEBPUSH_MAX_RETRIES", default=5)  # 429, 5xx and timeouts, with backoff
WEBPUSH_MAX_SUBSCRIPTIONS = env.int("WEBPUSH_MAX_SUBSCRIPTIONS", default=20)  # browsers per person

# --- Security --------------------------------------------------------------

DEFAULT_EXCEPTION_REPORTER_FILTER = "config.kernel.guards.ReporterFilter"  # debug pages hide connection URLs too


def _origin(url: str) -> str:
    """scheme://host[:port] of an absolute URL, or "" for a path on this site."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


# Content-Security-Policy on every answer: scripts and styles from this site only (the pages
# have no inline script, style element or style attribute; the few inline bits carry a nonce).
# Where uploads are served from when not from this site (S3, a CDN); CSP_MEDIA_ORIGINS adds more.
MEDIA_ORIGINS = [*filter(None, [_origin(MEDIA_URL)]), *env.list("CSP_MEDIA_ORIGINS", default=[])]
if AWS_STORAGE_BUCKET_NAME:
    MEDIA_ORIGINS += [
        f"https://{env.str('AWS_S3_CUSTOM_DOMAIN', default='')}" if env.str("AWS_S3_CUSTOM_DOMAIN", default="")
        else "https://*.amazonaws.com",
        *filter(None, [_origin(AWS_S3_ENDPOINT_URL or "")]),
    ]  # fmt: skip
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:", "blob:", *MEDIA_ORIGINS],  # blob: the compose box's previews
    "media-src": [CSP.SELF, "blob:", *MEDIA_ORIGINS],
    "connect-src": [CSP.SELF, *filter(None, [_origin(LIVE_EVENTS_URL)])],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    # /healthz must answer plain HTTP probes from the load balancer.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- Locale ----------------------------------------------------------------

LANGUAGE_CODE = "en"
# English is written in the code; every other language is a catalogue under locale/ (docs/I18N.md).
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "django_language"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Operations ------------------------------------------------------------

# /metrics (config/metrics.py): answered to these addresses or networks (as
# `address_of` sees them, so behind a proxy set NUM_PROXIES), or to anyone sending
# `Authorization: Bearer <METRICS_TOKEN>`; everyone else gets the ordinary 404.
METRICS_ALLOWED_IPS = env.list("METRICS_ALLOWED_IPS", default=["127.0.0.1", "::1"])
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
if PRODUCTION:
    # Prometheus scrapes each web process over plain HTTP inside the network, like the /healthz probes.
    SECURE_REDIRECT_EXEMPT = [*SECURE_REDIRECT_EXEMPT, r"^metrics$"]

# Read replica (config/kernel/routers.py; docs/OPERATIONS.md "Read replica" says which reads
# go where): GET and HEAD requests read from it, outside transactions and unless the request,
# or the same person (on any device) in the last DATABASE_REPLICA_PIN_SECONDS, wrote. Writes
# and everything else use "default".
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
DATABASE_REPLICA_PIN_SECONDS = env.int("DATABASE_REPLICA_PIN_SECONDS", default=5)
if DATABASE_REPLICA_URL:
    # Same engine options (pool, trigram thresholds) as the primary; the tests use the primary for both.
    DATABASES["replica"] = {
        **DATABASES["default"],
        "OPTIONS": {**DATABASES["default"].get("OPTIONS", {})},
        **env.db_url_config(DATABASE_REPLICA_URL),
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["config.kernel.routers.ReplicaRouter"]

# Redis per concern: REDIS_URL serves every part unless one of these moves a part
# to a Redis of its own (CELERY_BROKER_URL does the same for the broker). Timelines,
# trends, presence, abuse counters and metrics stay on REDIS_URL.
REDIS_CACHE_URL = env.str("REDIS_CACHE_URL", default="")
if REDIS_CACHE_URL:
    CACHES["default"]["LOCATION"] = REDIS_CACHE_URL
REDIS_CHANNELS_URL = env.str("REDIS_CHANNELS_URL", default="")
if REDIS_CHANNELS_URL:
    CHANNEL_LAYERS["default"] = channel_layer(REDIS_CHANNELS_URL)
# A Redis Cluster (docs/OPERATIONS.md, "Redis Cluster"): redis://host:port[,host:port...], seed nodes.
# Timelines, trends, presence, abuse counters, metrics and the cache (unless REDIS_CACHE_URL) move
# to it, and the channel layer too (unless REDIS_CHANNELS_URL), as Redis pub/sub, which a cluster
# carries to every node. Celery's broker can't be a cluster (kombu): it stays on REDIS_URL, a
# standalone Redis, or CELERY_BROKER_URL (RabbitMQ).
REDIS_CLUSTER_URL = env.str("REDIS_CLUSTER_URL", default="")
if REDIS_CLUSTER_URL:
    if not REDIS_CACHE_URL:
        CACHES["default"]["BACKEND"] = "config.kernel.cache.FailSoftRedisClusterCache"
        CACHES["default"]["LOCATION"] = REDIS_CLUSTER_URL
    if not REDIS_CHANNELS_URL:
        CHANNEL_LAYERS["default"] = cluster_channel_layer(REDIS_CLUSTER_URL)

# Logs: one JSON object a line (python-json-logger) in production, plain text in
# development; every record carries the request id, in Celery tasks too (config/celery.py).
LOG_FORMAT = env.str("LOG_FORMAT", default="json" if PRODUCTION else "plain")
if LOG_FORMAT not in ("json", "plain"):
    raise environ.ImproperlyConfigured(f"LOG_FORMAT must be json or plain, not {LOG_FORMAT!r}")

# --- Logging ---------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "config.kernel.logging.RequestIdFilter"}},
    "formatters": {
        "plain": {
            "()": "config.kernel.logging.PlainFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
        },
        "json": {"()": "config.kernel.logging.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
