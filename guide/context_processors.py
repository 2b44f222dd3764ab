from django.conf import settings

from guide import commune as commune_config


def commune(request) -> dict:
    """The commune's identity, the mode (embedded page, counter) and how long answers stay valid."""
    counter = getattr(request, "counter", False)
    return {
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


def _token(request) -> str:
    token = request.GET.get("s") or (request.POST.get("s") if request.method == "POST" else "")
    return (token or "")[:4000]


def duration(seconds: int) -> str:
    """ "2 heures", "1 heure", "45 minutes", "1 heure 30 minutes": how long answers stay valid."""
    hours, minutes = divmod(round(seconds / 60), 60)
    parts = [f"{hours} heure{'s' if hours > 1 else ''}"] if hours else []
    if minutes or not hours:
        parts.append(f"{minutes} minute{'s' if minutes > 1 else ''}")
    return " ".join(parts)
