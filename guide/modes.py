"""The site's modes, which travel in the address: no cookie, no login.

- `/embed/…`: the same pages without header and footer, framable by the commune's own sites
  (only by the origins listed in the commune file: CSP frame-ancestors).
- `/guichet/…`: the counter mode, for an agent on a shared computer (guide/counter.py): a
  *Visiteur suivant* control on every page, an inactivity timeout, answers valid for minutes, the
  detailed result with a script, a QR code and a short code for the visitor.

The middleware strips the prefix before URL resolution and sets the script prefix, so every URL
that `reverse` builds during the request stays inside the mode; it also sets the mode for
guide.state, whose tokens differ per mode (a counter token carries its visit).
"""

from django.conf import settings
from django.urls import get_script_prefix, set_script_prefix

from guide import commune, state

SITE, EMBED, COUNTER = "site", "embed", "counter"
PREFIXES = {"/embed": EMBED, "/guichet": COUNTER}


def split(path: str) -> tuple[str, str]:
    """(mode, path inside the mode) of an address's path."""
    for prefix, mode in PREFIXES.items():
        if path == prefix or path.startswith(prefix + "/"):
            return mode, path[len(prefix) :] or "/"
    return SITE, path


class ModeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        mode, request.path_info = split(request.path_info)
        request.mode, request.embed, request.counter = mode, mode == EMBED, mode == COUNTER
        with state.mode(COUNTER if request.counter else SITE):
            if mode == SITE:
                return self.get_response(request)
            prefix = next(p for p, m in PREFIXES.items() if m == mode)
            previous = get_script_prefix()
            set_script_prefix(previous.rstrip("/") + prefix + "/")
            try:
                response = self.get_response(request)
            finally:
                set_script_prefix(previous)
        if request.embed:
            origins = commune.get()["embed_origins"]
            response.xframe_options_exempt = True
            response._csp_config = {
                **settings.SECURE_CSP,
                "frame-ancestors": [*origins] or ["'none'"],
            }
        return response
