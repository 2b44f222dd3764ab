"""Every French commune, from fixtures/communes.csv.gz, searchable by postcode or name in memory.

Loaded once per process (about 37,600 rows). Département codes are those of the data (2A, 2B,
971…), never cut from the INSEE code.
"""

from __future__ import annotations

import bisect
import csv
import functools
import gzip
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

TYPE_LABELS = {
    "deleguee": "commune déléguée de",
    "associee": "commune associée à",
    "arrondissement": "arrondissement de",
}


@dataclass(frozen=True)
class Commune:
    code: str
    name: str
    departement: str
    region: str
    type: str  # actuelle, deleguee, associee, arrondissement
    parent: str  # the commune a delegated or associated commune or an arrondissement belongs to
    postcodes: tuple[str, ...]

    @property
    def key(self) -> str:
        """Unique id: a delegated commune may share its INSEE code with its commune nouvelle."""
        return self.code if self.type == "actuelle" else f"{self.code}-{self.type}"


def fold(text: str) -> str:
    """Lower case, no accents, hyphens and apostrophes as spaces: 'L’Isle-sur-la-Sorgue' → 'l isle sur la sorgue'."""
    text = "".join(
        c for c in unicodedata.normalize("NFD", text.casefold()) if not unicodedata.combining(c)
    )
    return re.sub(r"[\s\-'’]+", " ", text).strip()


@dataclass(frozen=True)
class Directory:
    communes: tuple[Commune, ...]
    by_key: dict[str, Commune]
    by_postcode: dict[str, tuple[Commune, ...]]
    names: tuple[str, ...]  # folded names, sorted
    named: tuple[Commune, ...]  # the communes in the order of `names`
    departements: dict[str, str]

    def get(self, key: str) -> Commune | None:
        return self.by_key.get(key)

    def parent_of(self, commune: Commune) -> Commune | None:
        return self.by_key.get(commune.parent) if commune.parent else None

    def label(self, commune: Commune) -> str:
        """'Carpentras (84200 – Vaucluse)', 'Arbignieu (commune déléguée de Arboys en Bugey – 01300 – Ain)'."""
        parts = []
        parent = self.parent_of(commune)
        if parent and parent.key != commune.key:
            parts.append(f"{TYPE_LABELS[commune.type]} {parent.name}")
        postcodes = commune.postcodes or (parent.postcodes if parent else ())
        if postcodes:
            parts.append(", ".join(postcodes[:3]) + ("…" if len(postcodes) > 3 else ""))
        parts.append(self.departements.get(commune.departement, commune.departement))
        return f"{commune.name} ({' – '.join(parts)})"

    def search(self, query: str, limit: int = 15) -> list[Commune]:
        """Communes matching a postcode (or its start) or a name (start first, then anywhere)."""
        query = query.strip()
        if re.fullmatch(r"\d[\dAB]{1,4}", query.upper()):
            if len(query) == 5:
                return list(self.by_postcode.get(query, ()))[:limit]
            matches = {  # a commune with two postcodes that both match is listed once
                c.key: c
                for code, cs in self.by_postcode.items()
                if code.startswith(query)
                for c in cs
            }
            return sorted(matches.values(), key=lambda c: (c.postcodes[0], c.name))[:limit]
        folded = fold(query)
        if len(folded) < 2:
            return []
        start = bisect.bisect_left(self.names, folded)
        found: list[Commune] = []
        for index in range(start, len(self.names)):
            if not self.names[index].startswith(folded) or len(found) >= limit:
                break
            found.append(self.named[index])
        if len(found) < limit:
            seen = set(found)
            needle = " " + folded
            for name, commune in zip(self.names, self.named, strict=True):
                if needle in " " + name and commune not in seen:
                    found.append(commune)
                    if len(found) >= limit:
                        break
        return sorted(
            found,
            key=lambda c: (
                fold(c.name) != folded,
                not fold(c.name).startswith(folded),
                c.type != "actuelle",
                fold(c.name).split()[0],
                c.code,
            ),
        )


@functools.cache
def directory() -> Directory:
    path = Path(settings.COMMUNES_FILE)
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    communes = tuple(
        Commune(
            r["code"],
            r["nom"],
            r["departement"],
            r["region"],
            r["type"],
            r["parent"],
            tuple(filter(None, r["codes_postaux"].split("|"))),
        )
        for r in rows
    )
    by_postcode: dict[str, list[Commune]] = {}
    for commune in communes:
        for postcode in commune.postcodes:
            by_postcode.setdefault(postcode, []).append(commune)
    ordered = sorted(communes, key=lambda c: (fold(c.name), c.type != "actuelle", c.code))
    with open(path.parent / "departements.csv", encoding="utf-8") as handle:
        departements = {
            row["code"]: row["nom"] for row in csv.DictReader(io.StringIO(handle.read()))
        }
    return Directory(
        communes=communes,
        by_key={c.key: c for c in communes},
        by_postcode={
            k: tuple(sorted(v, key=lambda c: (c.type != "actuelle", c.name)))
            for k, v in by_postcode.items()
        },
        names=tuple(fold(c.name) for c in ordered),
        named=tuple(ordered),
        departements=departements,
    )


@functools.lru_cache(maxsize=8192)
def label_of(key: str) -> str | None:
    """The label of a commune key ('Cavaillon (84300 – Vaucluse)'), or None if there is none."""
    commune = directory().get(key)
    return directory().label(commune) if commune else None
