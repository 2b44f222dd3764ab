from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_noop, ngettext

from guide import commune as commune_config
from guide import modes


def commune(request) -> dict:
    """The commune's identity, the mode (embedded page, counter) and how long answers stay valid."""
    counter = getattr(request, "counter", False)
    language = translation.get_language() or settings.LANGUAGE_CODE
    return {
        "language": language,
        "bidi": translation.get_language_bidi(),
        "languages": _languages(request, language),
        "commune": commune_config.get(),
        "embed": getattr(request, "embed", False),
        "counter": counter,
        "counter_title": "",  # at the counter, a title that names only the kind of page (views._page)
        "counter_idle": settings.COUNTER_IDLE_SECONDS if counter else 0,
        # The token *Visiteur suivant* ends the visit of: this page's (wizard.js takes the
        # address's own when htmx has changed the page since).
        "visit_token": _token(request) if counter else "",
        "answers_kept": duration(settings.STATE_MAX_AGE["counter" if counter else "wizard"]),
        "counter_kept": duration(settings.STATE_MAX_AGE["counter"]),
        "links_kept_days": settings.STATE_MAX_AGE["link"] // 86400,
    }


def _languages(request, current: str, address: str = "") -> list[dict]:
    """This page in each offered language (the switcher and the hreflang alternates); none when
    only French is offered. `address`: the page's own, when it is not the request's (an htmx
    answer to a POST shows the page it pushes)."""
    if len(settings.LANGUAGES) < 2 or not hasattr(request, "script_base"):
        return []
    found = []
    for code, name in settings.LANGUAGES:
        url = modes.path_in(request, code, address)
        found.append(
            {
                "code": code,
                "name": name,
                "url": url,
                "absolute": request.build_absolute_uri(url.split("?")[0]),
                "current": code == current,
                "bidi": translation.get_language_info(code)["bidi"],
            }
        )
    return found


def languages_of(request, address: str) -> list[dict]:
    return _languages(request, translation.get_language() or settings.LANGUAGE_CODE, address)


def _token(request) -> str:
    token = request.GET.get("s") or modes.posted_token(request)
    return (token or "")[:4000]


def duration(seconds: int) -> str:
    """ "2 heures", "1 heure", "45 minutes", "1 heure 30 minutes": how long answers stay valid."""
    hours, minutes = divmod(round(seconds / 60), 60)
    parts = [ngettext("%(n)d heure", "%(n)d heures", hours) % {"n": hours}] if hours else []
    if minutes or not hours:
        parts.append(ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes})
    return " ".join(parts)


# The statuses a commune file may give its accessibility statement (RGAA), for the catalogue.
ACCESSIBILITY_STATUSES = (
    gettext_noop("non conforme"),
    gettext_noop("partiellement conforme"),
    gettext_noop("totalement conforme"),
)
