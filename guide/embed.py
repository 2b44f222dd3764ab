"""Embed mode: the same pages under /embed/, without header and footer, framable by the commune.

The middleware strips the /embed prefix before URL resolution and sets the script prefix, so
every URL that `reverse` builds during the request stays inside /embed/. Only embedded pages may
be framed, and only by the origins listed in the commune file (CSP frame-ancestors).
"""

from django.conf import settings
from django.urls import get_script_prefix, set_script_prefix

from guide import commune

PREFIX = "/embed"


class EmbedMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.embed = request.path_info == PREFIX or request.path_info.startswith(PREFIX + "/")
        if not request.embed:
            return self.get_response(request)
        request.path_info = request.path_info[len(PREFIX) :] or "/"
        previous = get_script_prefix()
        set_script_prefix(previous.rstrip("/") + PREFIX + "/")
        try:
            response = self.get_response(request)
        finally:
            set_script_prefix(previous)
        origins = commune.get()["embed_origins"]
        response.xframe_options_exempt = True
        response._csp_config = {**settings.SECURE_CSP, "frame-ancestors": [*origins] or ["'none'"]}
        return response
