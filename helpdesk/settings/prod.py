"""Production: nothing beyond base.py; SECRET_KEY, DATABASE_URL and ALLOWED_HOSTS must be set."""

from helpdesk.settings.base import *
