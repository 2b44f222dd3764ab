import functools
import json

from django.conf import settings


@functools.cache
def _commune() -> dict:
    with open(settings.COMMUNE_FILE, encoding="utf-8") as handle:
        return json.load(handle)


def commune(request) -> dict:
    """The deployment's commune (name, contact line) for every template."""
    return {"commune": _commune()}
