from django.conf import settings

from guide import commune as commune_config


def commune(request) -> dict:
    """The commune's identity, whether the page is embedded, and how long answers stay valid."""
    return {
        "commune": commune_config.get(),
        "embed": getattr(request, "embed", False),
        "answers_kept": duration(settings.STATE_MAX_AGE["wizard"]),
    }


def duration(seconds: int) -> str:
    """ "2 heures", "1 heure", "45 minutes", "1 heure 30 minutes": how long answers stay valid."""
    hours, minutes = divmod(round(seconds / 60), 60)
    parts = [f"{hours} heure{'s' if hours > 1 else ''}"] if hours else []
    if minutes or not hours:
        parts.append(f"{minutes} minute{'s' if minutes > 1 else ''}")
    return " ".join(parts)
