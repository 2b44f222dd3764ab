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

A result costs at most two indexed queries (the competences of every office kind it needs, then
one for the fallbacks), once per process and directory import: answers are kept in memory, keyed
by the import they come from.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guide import commune as commune_config
from guide import communes, engine, typography
from guide.models import Competence, ImportRun, Office

# Our office kinds for each `local` value of _offices.yaml.
KINDS = {
    "mairie": ("mairie",),
    "prefecture": ("prefecture",),
    "sous_prefecture": ("sous_prefecture",),
    "tribunal_judiciaire": ("tribunal_judiciaire",),
    "police": ("commissariat", "gendarmerie"),
}
# When the directory has nothing for the commune: the official directory's search for that kind
# of office there, and how to say it ("Trouver la mairie pour Cavaillon"). The search address
# (`recherche?whoWhat=…&where=…`) is the one the directory's own search form uses, as seen in
# several public projects; DILA does not document it.
SEARCH = "https://lannuaire.service-public.gouv.fr/recherche"
FIND = {
    "mairie": ("Mairie", gettext_lazy("Trouver la mairie pour %(commune)s")),
    "prefecture": ("Préfecture", gettext_lazy("Trouver la préfecture pour %(commune)s")),
    "sous_prefecture": (
        "Sous-préfecture",
        gettext_lazy("Trouver la sous-préfecture pour %(commune)s"),
    ),
    "tribunal_judiciaire": (
        "Tribunal judiciaire",
        gettext_lazy("Trouver le tribunal judiciaire pour %(commune)s"),
    ),
    "police": (
        "Commissariat de police gendarmerie",
        gettext_lazy("Trouver le commissariat ou la gendarmerie pour %(commune)s"),
    ),
}

# Kinds for which the département's office is a fair approximation when the commune has none.
BY_DEPARTEMENT = {"prefecture", "sous_prefecture", "tribunal_judiciaire"}
SECONDARY = re.compile(
    r"mairi[eé]s? (d[ée]l[ée]gu[ée]e|annexe)|\s-\s(annexe|antenne)\s|bureau annexe", re.IGNORECASE
)


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
    # An office of the commune file (not DILA's): where its facts come from, and when checked.
    source: str = ""
    source_url: str = ""
    verified: str = ""  # dd/mm/yyyy

    @classmethod
    def of_commune_file(cls, office: dict) -> Place:
        return cls(
            id=f"commune-{office['kind']}-{office['name']}",
            kind=office["kind"],
            name=office["name"],
            address=office.get("address", ""),
            postal_address="",
            phones=(office["phone"],) if office.get("phone") else (),
            emails=(),
            websites=(),
            hours=tuple(office.get("hours", ())),
            url="",
            modified="",
            source=office["source"]["title"],
            source_url=office["source"].get("url", ""),
            verified=dt.date.fromisoformat(str(office["verified"])).strftime("%d/%m/%Y"),
        )

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
    # For an approximation: the département's name (a préfecture, a tribunal…), or "" for the
    # office found in the commune itself; None when the directory says which office is competent.
    near: str | None = None

    @property
    def missing(self) -> bool:
        return not self.places

    @property
    def approximate(self) -> str:
        """Why these places are only an approximation, in words (in the page's language)."""
        if self.near is None:
            return ""
        if self.near:
            where = _("celui du département (%(departement)s)") % {"departement": self.near}
        else:
            where = _("celui qui se trouve à %(commune)s") % {"commune": self.commune}
        return _(
            "L'annuaire officiel ne dit pas quel service est compétent pour %(commune)s : "
            "nous indiquons %(where)s. Vérifiez auprès de ce service."
        ) % {"commune": self.commune, "where": where}


@dataclass(frozen=True)
class OfficeLine:
    """An office line of a result, with the offices found for the visitor's commune."""

    line: engine.Line
    local: Local | None = None

    @property
    def office(self) -> engine.Office:
        return self.line.item.office

    @property
    def place(self) -> Place | None:
        """The one place found for certain (not an approximation): the box is titled with it."""
        if self.local and len(self.local.places) == 1 and not self.local.approximate:
            return self.local.places[0]
        return None

    @property
    def find(self) -> tuple[str, str] | None:
        """(address, words) of the one directory link for an office we have no address for:
        the office's own directory when it has one (the justice directory for a tribunal),
        otherwise the official directory's search for that kind of office and that commune."""
        if self.local is None or self.local.places:
            return None
        what, said = FIND[self.office.local]
        words = str(said) % {"commune": self.local.commune}
        if self.office.url:
            return self.office.url, words
        return f"{SEARCH}?{urlencode({'whoWhat': what, 'where': self.local.commune})}", words


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
def _resolve(key: str, wanted: tuple[str, ...], run_id: int | None) -> dict[str, Local]:
    """The offices for each `local` value in `wanted`, for one commune: two queries at most."""
    directory = communes.directory()
    commune = directory.get(key)
    if commune is None:
        return {}
    name = commune.name
    if run_id is None:
        return {local: Local(name, ()) for local in wanted}
    codes = _codes(commune)
    kinds = {kind for local in wanted for kind in KINDS[local]}
    competent: dict[tuple[str, str], list[tuple[tuple, Office]]] = {}
    for competence in Competence.objects.filter(
        commune_insee__in=codes, kind__in=kinds
    ).select_related("office"):
        competent.setdefault((competence.commune_insee, competence.kind), []).append(
            (_preference(competence.office, competence.rank), competence.office)
        )
    found: dict[str, Local] = {}
    for local in wanted:
        for code in codes:  # the most precise code that has offices wins
            ranked = {
                kind: [o for _, o in sorted(competent.get((code, kind), []), key=lambda p: p[0])]
                for kind in KINDS[local]
            }
            # the main office of each kind (police: a commissariat and/or a gendarmerie)
            chosen = [offices[0] for offices in ranked.values() if offices]
            if chosen:
                found[local] = Local(name, tuple(Place.of(o) for o in chosen))
                break
    missing = [local for local in wanted if local not in found]
    if missing:
        # No competence: the office of that kind in the département (préfecture, tribunal…) or
        # located in the commune itself (mairie, police), in one query.
        by_departement = [k for local in missing if local in BY_DEPARTEMENT for k in KINDS[local]]
        in_commune = [k for local in missing if local not in BY_DEPARTEMENT for k in KINDS[local]]
        nearby = Office.objects.filter(
            Q(kind__in=by_departement, departement=commune.departement)
            | Q(kind__in=in_commune, commune_insee__in=codes)
        )
        ranked = sorted(nearby, key=lambda o: (_preference(o, 0), o.name))
        departement = directory.departements.get(commune.departement, commune.departement)
        for local in missing:
            near = next((o for o in ranked if o.kind in KINDS[local]), None)
            if near is None:
                found[local] = Local(name, ())
                continue
            found[local] = Local(
                name, (Place.of(near),), near=departement if local in BY_DEPARTEMENT else ""
            )
    return found


@functools.lru_cache(maxsize=1)
def _run(generation: int) -> ImportRun | None:
    return ImportRun.objects.filter(finished_at__isnull=False).order_by("-id").first()


def current_run() -> ImportRun | None:
    """The directory import in use, read again when the registry sees new content."""
    from guide import registry

    return _run(registry.generation())


def _from_commune_file(key: str, wanted: tuple[str, ...], found: dict[str, Local]) -> dict:
    """The commune file's own offices (`local_offices`) for this commune replace what the
    directory gave for their kind: the deployment knows them better (README)."""
    own = [
        office
        for office in commune_config.get()["local_offices"]
        if office["kind"] in wanted and key in office["communes"]
    ]
    if not own:
        return found
    commune = communes.directory().get(key)
    name = commune.name if commune else key
    replaced = dict(found)
    for kind in {office["kind"] for office in own}:
        places = tuple(Place.of_commune_file(o) for o in own if o["kind"] == kind)
        replaced[kind] = Local(name, places)
    return replaced


def office_lines(result: engine.Result) -> list[OfficeLine]:
    """The result's office lines, each local office resolved for the visitor's commune."""
    wanted = tuple(
        sorted(
            {
                line.item.office.local
                for line in result.offices
                if line.item.office and line.item.office.local
            }
        )
    )
    found = {}
    if result.commune and wanted:
        run = current_run()
        found = _from_commune_file(
            result.commune, wanted, _resolve(result.commune, wanted, run.id if run else None)
        )
    return [
        OfficeLine(line, found.get(line.item.office.local) if line.item.office else None)
        for line in result.offices
    ]


def home_mairie(result: engine.Result, served: list[str], lines: list[OfficeLine]) -> Local | None:
    """The mairie of a visitor who lives in one of the deployment's communes, unless shown already."""
    if not result.commune or result.commune not in served:
        return None
    if any(line.local and line.line.item.office.local == "mairie" for line in lines):
        return None
    run = current_run()
    found = _resolve(result.commune, ("mairie",), run.id if run else None)
    return _from_commune_file(result.commune, ("mairie",), found).get("mairie")


def attribution(run: ImportRun | None) -> str:
    """The credit DILA's licence asks for: producer, file name and date."""
    if run is None:
        return ""
    date = f" du {run.file_date.strftime('%d/%m/%Y')}" if run.file_date else ""
    return typography.french(
        f"Adresses et horaires : Service-Public.gouv.fr / DILA, annuaire de l'administration, "
        f"fichier{date} ({run.file_name}), Licence Ouverte 2.0."
    )


def clear() -> None:
    """Forget what was looked up (tests, and after an import in this process)."""
    _resolve.cache_clear()
    _run.cache_clear()
