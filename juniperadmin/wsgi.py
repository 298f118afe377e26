"""The WSGI application gunicorn serves (`gunicorn juniperadmin.wsgi`).

A bad setting stops start-up with one line naming it (juniperadmin.env), not a traceback; the
exit status is gunicorn's "App failed to load", so its master stops instead of starting worker
after worker that would fail the same way.
"""

import os
import sys

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "juniperadmin.settings")

APP_FAILED_TO_LOAD = 4  # gunicorn.arbiter.Arbiter.APP_LOAD_ERROR

try:
    application = get_wsgi_application()
except ImproperlyConfigured as error:
    print(f"Configuration error: {error}", file=sys.stderr)
    sys.exit(APP_FAILED_TO_LOAD)
