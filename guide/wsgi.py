import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guide.settings")

application = get_wsgi_application()

# Before the first visitor: start the PDF workers (stylesheet parsed, font loaded), and read the
# communes file (0.5–0.7 s), which the first question page would otherwise wait for.
from guide import communes  # noqa: E402

communes.directory()
