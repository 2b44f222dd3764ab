from django.conf import settings

from guide import commune as commune_config


def commune(request) -> dict:
    """The commune's identity, whether the page is embedded, and how long answers stay valid."""
    return {
        "commune": commune_config.get(),
        "embed": getattr(request, "embed", False),
        "answers_kept_hours": settings.STATE_MAX_AGE["wizard"] // 3600,
    }
