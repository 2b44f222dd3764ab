import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guide.settings")

application = get_wsgi_application()

# Start the PDF workers (stylesheet parsed, font loaded) before the first visitor asks for a PDF.
from guide import pdf  # noqa: E402

pdf.warm_up()
