"""The deployment's commune: name, logo, colours, contacts (GUIDE_COMMUNE_FILE, a JSON file)."""

from __future__ import annotations

import functools
import json
import re

from django.conf import settings

from guide import typography

HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
DEFAULT_COLOURS = {"accent": "#1d4f91", "accent_text": "#ffffff", "focus": "#ffbf47"}


@functools.cache
def get() -> dict:
    with open(settings.COMMUNE_FILE, encoding="utf-8") as handle:
        data = json.load(handle)
    colours = {**DEFAULT_COLOURS, **data.get("colours", {})}
    # Anything that is not a plain #rrggbb colour falls back to the default: the value ends up in CSS.
    data["colours"] = {
        k: v if HEX.match(str(v)) else DEFAULT_COLOURS[k]
        for k, v in colours.items()
        if k in DEFAULT_COLOURS
    }
    # Only links a visitor can follow safely (never javascript:, file:…); guide.W006 names the others.
    data["unsafe_links"] = [
        link for link in data.get("footer_links", []) if not safe_url(str(link.get("url", "")))
    ]
    data["footer_links"] = [
        link for link in data.get("footer_links", []) if link not in data["unsafe_links"]
    ]
    data.setdefault("accessibility", {})
    data.setdefault("embed_origins", [])
    data.setdefault("communes", [])  # INSEE codes (or keys) of the communes this deployment serves
    return typography.french_data(data, NOT_PROSE)


# Values that are not prose: no typography there.
NOT_PROSE = {"logo", "colours", "communes", "embed_origins", "website", "url", "contact_email"}


def safe_url(url: str) -> bool:
    return url.startswith(("https://", "mailto:", "tel:"))


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2.1 contrast ratio between two #rrggbb colours."""
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
