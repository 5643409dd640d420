"""WSGI entry point (gunicorn vern.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vern.settings")
application = get_wsgi_application()

# Production: refuse to start without collected static files (every page would be a 500).
from vern.ops.checks import require_static_manifest  # noqa: E402

require_static_manifest()
