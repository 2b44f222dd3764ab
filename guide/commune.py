"""The deployment's commune: name, logo, colours, contacts (GUIDE_COMMUNE_FILE, a JSON file)."""

from __future__ import annotations

import datetime as dt
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
    data.setdefault("local_offices", [])  # offices it knows better than the directory
    data["statistics"] = data.get("statistics") is True  # anonymous counts, opt-in
    # A file with a wrong office is refused at start (guide.E001, every problem named); if the
    # site runs anyway, none of its offices is used rather than half of them.
    data["local_office_problems"] = local_office_problems(data, dt.date.today())
    if data["local_office_problems"]:
        data["local_offices"] = []
    return typography.french_data(data, NOT_PROSE)


# Values that are not prose: no typography there.
NOT_PROSE = {"logo", "colours", "communes", "embed_origins", "website", "url", "contact_email"}
NOT_PROSE |= {"kind", "phone", "verified", "local_office_problems"}

# What a local office of the commune file says (README, "Des services que la commune connaît
# mieux"): required keys, then optional ones.
LOCAL_OFFICE_KEYS = (
    {"kind", "name", "communes", "source", "verified"},
    {"address", "phone", "hours"},
)


def local_office_problems(data: dict, today: dt.date) -> list[str]:
    """Every problem of the commune file's `local_offices`, each naming the office it is in."""
    from guide.engine import COMMUNE_KEY
    from guide.loader import LOCAL_KINDS

    offices = data.get("local_offices", [])
    if not isinstance(offices, list):
        return ["local_offices doit être une liste"]
    problems = []
    for number, office in enumerate(offices, 1):
        where = f"local_offices n° {number}"
        if not isinstance(office, dict):
            problems.append(f'{where} : un service s\'écrit {{"kind": …, "name": …}}')
            continue
        where = f"{where} ({office.get('name', 'sans nom')})"
        required, optional = LOCAL_OFFICE_KEYS
        problems += [f"{where} : {key} manquant" for key in sorted(required - office.keys())]
        problems += [
            f"{where} : clé {key!r} inconnue" for key in sorted(office.keys() - required - optional)
        ]
        if "kind" in office and office["kind"] not in LOCAL_KINDS:
            problems.append(
                f"{where} : kind {office['kind']!r} inconnu (permis : {', '.join(LOCAL_KINDS)})"
            )
        for key in ("name", "address", "phone"):
            if key in office and (not isinstance(office[key], str) or not office[key].strip()):
                problems.append(f"{where} : {key} doit être un texte non vide")
        hours = office.get("hours", [])
        if not isinstance(hours, list) or not all(isinstance(h, str) and h.strip() for h in hours):
            problems.append(f"{where} : hours est une liste de textes")
        served = office.get("communes")
        if "communes" in office and (
            not isinstance(served, list)
            or not served
            or not all(isinstance(c, str) and COMMUNE_KEY.match(c) for c in served)
        ):
            problems.append(f'{where} : communes est une liste de codes INSEE ("84035")')
        source = office.get("source")
        if "source" in office and (
            not isinstance(source, dict)
            or not str(source.get("title", "")).strip()
            or (source.get("url") and not safe_url(str(source["url"])))
        ):
            problems.append(f"{where} : source attend title (et url en https:// si elle existe)")
        if "verified" in office:
            try:
                verified = dt.date.fromisoformat(str(office["verified"]))
            except ValueError:
                problems.append(f"{where} : verified doit être une date AAAA-MM-JJ")
            else:
                if verified > today:
                    problems.append(f"{where} : verified est dans le futur ({verified})")
    return problems


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
