"""Where to go, for the visitor's commune: DILA's offices by competence, with labelled fallbacks.

An office of procedures/_offices.yaml may say `local: prefecture` (or mairie, sous_prefecture,
tribunal_judiciaire, police). For a result whose commune question was answered, each such office
is looked up in the imported directory:

1. the offices DILA's commune files say are competent for the commune (a delegated or associated
   commune is served through its commune; a Paris, Lyon or Marseille arrondissement first as
   itself, then through its city), the main one first (not an annexe or mairie déléguée, then the
   `…-01` pivot code, then the file's order);
2. failing that, a labelled approximation: the office of that kind in the commune itself, or for
   a préfecture, sous-préfecture or tribunal the one of the département;
3. failing that, nothing but the office's general description and a link to the official
   directory, saying so.

A commune costs at most two indexed queries (competences, then the département fallback), once
per process and directory import: answers are kept in memory, keyed by the import they come from.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from guide import communes, engine
from guide.models import Competence, ImportRun, Office

# Our office kinds for each `local` value of _offices.yaml.
KINDS = {
    "mairie": ("mairie",),
    "prefecture": ("prefecture",),
    "sous_prefecture": ("sous_prefecture",),
    "tribunal_judiciaire": ("tribunal_judiciaire",),
    "police": ("commissariat", "gendarmerie"),
}
# Kinds for which the département's office is a fair approximation when the commune has none.
BY_DEPARTEMENT = {"prefecture", "sous_prefecture", "tribunal_judiciaire"}
SECONDARY = re.compile(
    r"mairi[eé]s? (d[ée]l[ée]gu[ée]e|annexe)|\s-\s(annexe|antenne)\s|bureau annexe", re.IGNORECASE
)
DIRECTORY_URL = "https://lannuaire.service-public.gouv.fr/"


@dataclass(frozen=True)
class Place:
    """One office as DILA publishes it."""

    id: str
    kind: str
    name: str
    address: str
    postal_address: str
    phones: tuple[str, ...]
    emails: tuple[str, ...]
    websites: tuple[str, ...]
    hours: tuple[str, ...]
    url: str  # its page on lannuaire.service-public.gouv.fr
    modified: str  # DILA's modification date of the record, dd/mm/yyyy

    @classmethod
    def of(cls, office: Office) -> Place:
        street = ", ".join(
            p for p in (office.address, f"{office.postcode} {office.city}".strip()) if p
        )
        return cls(
            id=office.id,
            kind=office.kind,
            name=office.name,
            address=street,
            postal_address=office.postal_address if office.postal_address != street else "",
            phones=tuple(
                f"{p['value']} ({p['description']})" if p.get("description") else p["value"]
                for p in office.phones
            ),
            emails=tuple(office.emails),
            websites=tuple(office.websites),
            hours=tuple(office.hours),
            url=office.url_service_public,
            modified=office.source_modified.strftime("%d/%m/%Y") if office.source_modified else "",
        )


@dataclass(frozen=True)
class Local:
    """What the directory gives for one local office and one commune."""

    commune: str  # the commune's name, as the visitor chose it
    places: tuple[Place, ...]
    approximate: str = ""  # why these places are only an approximation, in words

    @property
    def missing(self) -> bool:
        return not self.places


@dataclass(frozen=True)
class OfficeLine:
    """An office line of a result, with the offices found for the visitor's commune."""

    line: engine.Line
    local: Local | None = None


def _preference(office: Office, rank: int) -> tuple:
    return (bool(SECONDARY.search(office.name)), not office.ancien_code_pivot.endswith("-01"), rank)


def _codes(commune: communes.Commune) -> tuple[str, ...]:
    """The INSEE codes whose competences serve a commune, the most precise first."""
    if commune.type in ("deleguee", "associee"):
        return (commune.parent,)
    if commune.type == "arrondissement":
        return (commune.code, commune.parent)
    return (commune.code,)


@functools.lru_cache(maxsize=4096)
def _resolve(key: str, local: str, run_id: int | None) -> Local | None:
    directory = communes.directory()
    commune = directory.get(key)
    if commune is None:
        return None
    name = commune.name
    if run_id is None:
        return Local(name, ())
    kinds = KINDS[local]
    codes = _codes(commune)
    found: dict[str, list[tuple[tuple, Office]]] = {}
    for competence in Competence.objects.filter(
        commune_insee__in=codes, kind__in=kinds
    ).select_related("office"):
        found.setdefault(competence.commune_insee, []).append(
            (_preference(competence.office, competence.rank), competence.office)
        )
    for code in codes:  # the most precise code that has offices wins
        if code in found:
            ranked = [office for _, office in sorted(found[code], key=lambda pair: pair[0])]
            if local == "police":  # a commune has a commissariat or a gendarmerie, rarely both
                places = [
                    next(o for o in ranked if o.kind == k)
                    for k in kinds
                    if any(o.kind == k for o in ranked)
                ]
            else:
                places = ranked[:1]
            return Local(name, tuple(Place.of(o) for o in places))
    # No competence: the office of that kind in the commune, or in the département.
    nearby = Office.objects.filter(kind__in=kinds).order_by("name")
    if local in BY_DEPARTEMENT:
        nearby = nearby.filter(departement=commune.departement)
        where = f"celui du département ({directory.departements.get(commune.departement, commune.departement)})"
    else:
        nearby = nearby.filter(commune_insee__in=codes)
        where = f"celui qui se trouve à {name}"
    ranked = sorted(nearby, key=lambda o: _preference(o, 0))
    if not ranked:
        return Local(name, ())
    return Local(
        name,
        (Place.of(ranked[0]),),
        approximate=(
            f"L'annuaire officiel ne dit pas quel service est compétent pour {name} : "
            f"nous indiquons {where}. Vérifiez auprès de ce service."
        ),
    )


def latest_run() -> ImportRun | None:
    return ImportRun.objects.filter(finished_at__isnull=False).order_by("-id").first()


@functools.lru_cache(maxsize=1)
def _run(generation: int) -> ImportRun | None:
    return latest_run()


def current_run() -> ImportRun | None:
    """The directory import in use, read again when the registry sees new content."""
    from guide import registry

    return _run(registry.generation())


def office_lines(result: engine.Result) -> list[OfficeLine]:
    """The result's office lines, each local office resolved for the visitor's commune."""
    run = current_run() if result.commune else None
    lines = []
    for line in result.offices:
        office = line.item.office
        local = None
        if office is not None and office.local and result.commune:
            local = _resolve(result.commune, office.local, run.id if run else None)
        lines.append(OfficeLine(line, local))
    return lines


def home_mairie(result: engine.Result, served: list[str], lines: list[OfficeLine]) -> Local | None:
    """The mairie of a visitor who lives in one of the deployment's communes, unless shown already."""
    if not result.commune or result.commune not in served:
        return None
    if any(line.local and line.line.item.office.local == "mairie" for line in lines):
        return None
    run = current_run()
    return _resolve(result.commune, "mairie", run.id if run else None)


def attribution(run: ImportRun | None) -> str:
    """The credit DILA's licence asks for: producer, file name and date."""
    if run is None:
        return ""
    date = f" du {run.file_date.strftime('%d/%m/%Y')}" if run.file_date else ""
    return (
        f"Adresses et horaires : Service-Public.gouv.fr / DILA, annuaire de l'administration, "
        f"fichier{date} ({run.file_name}), Licence Ouverte 2.0."
    )


def clear() -> None:
    """Forget what was looked up (tests, and after an import in this process)."""
    _resolve.cache_clear()
    _run.cache_clear()
