"""Import DILA's "Annuaire de l'administration – Base de données locales" (Licence Ouverte 2.0).

The bulk export has two parts: `…-data.gouv_local.json` (every counter, hundreds of MB) and
`…-data.gouv_commune.zip` (one JSON per commune: which counters serve it, by type). The records
are read one at a time from the JSON stream, only the types we use are kept, junk values are
cleaned, and everything is written in one transaction: offices are upserted by DILA id, offices
of our types that left the file are removed, competences are replaced for the communes in the
zip. An ImportRun records the file name, its date and the counts for the attribution line.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shutil
import tarfile
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from guide import typography

# DILA type codes → our kinds: one table, so a renamed DILA code is a one-line fix.
KINDS = {
    "mairie": "mairie",
    "mairie_com": "mairie",
    "paris_mairie": "mairie",
    "paris_mairie_arrondissement": "mairie",
    "prefecture": "prefecture",
    "prefecture_region": "prefecture",
    "paris_ppp": "prefecture",
    "sous_pref": "sous_prefecture",
    "tgi": "tribunal_judiciaire",
    "commissariat_police": "commissariat",
    "gendarmerie": "gendarmerie",
}
FILE_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})_\d{6}")
EMAIL = re.compile(r"^[^@\s;,]+@[^@\s;,]+\.[^@\s;,]+$")
CHUNK = 1 << 16


def iter_records(path: Path) -> Iterator[dict]:
    """Yield the records of a local JSON export, one at a time, whether it is `[...]` or `{"service": [...]}`."""
    decoder = json.JSONDecoder()
    with open(path, encoding="utf-8") as handle:
        buffer = handle.read(CHUNK)
        start = buffer.find("[")
        if start < 0:
            raise ValueError(f"{path.name} : pas de liste de services")
        position = start + 1
        while True:
            while True:  # skip separators; refill when the buffer runs out
                while position < len(buffer) and buffer[position] in " \t\r\n,":
                    position += 1
                if position < len(buffer):
                    break
                more = handle.read(CHUNK)
                if not more:
                    return
                buffer, position = more, 0
            if buffer[position] == "]":
                return
            while True:
                try:
                    record, end = decoder.raw_decode(buffer, position)
                    break
                except json.JSONDecodeError:
                    more = handle.read(CHUNK)
                    if not more:
                        raise
                    buffer, position = buffer[position:] + more, 0
            yield record
            buffer, position = buffer[end:], 0


def _json_field(value):
    """The API encodes nested fields as JSON strings; the bulk file does not. Accept both."""
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _phones(values) -> list[dict]:
    phones = []
    for phone in _json_field(values) or []:
        value = (phone.get("valeur") if isinstance(phone, dict) else str(phone)) or ""
        if sum(c.isdigit() for c in value) >= 4:  # "f", "", "-" are junk seen in the data
            phones.append(
                {
                    "value": value.strip(),
                    "description": (phone.get("description") or "").strip()
                    if isinstance(phone, dict)
                    else "",
                }
            )
    return phones


def _emails(values) -> list[str]:
    values = _json_field(values) or []
    if isinstance(values, str):
        values = [values]
    found = []
    for value in values:
        for part in re.split(r"[;,\s]+", str(value)):
            if EMAIL.match(part) and part not in found:
                found.append(part)
    return found


def _hours(values) -> list[str]:
    """Opening hours as published, one line per range of days: 'Lundi – Vendredi : 08:30–12:00, 13:30–17:00'."""
    lines = []
    for slot in _json_field(values) or []:
        days = slot.get("nom_jour_debut", "")
        if slot.get("nom_jour_fin") and slot["nom_jour_fin"] != days:
            days += f" – {slot['nom_jour_fin']}"
        ranges = [
            f"{slot[f'valeur_heure_debut_{n}'][:5]}–{slot[f'valeur_heure_fin_{n}'][:5]}"
            for n in (1, 2)
            if slot.get(f"valeur_heure_debut_{n}") and slot.get(f"valeur_heure_fin_{n}")
        ]
        line = typography.french(f"{days} : {', '.join(ranges)}") if ranges else days
        if slot.get("commentaire"):
            line += f" ({slot['commentaire'].strip()})"
        if days:
            lines.append(line)
    return lines


def _float(value) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _address(entry: dict) -> str:
    parts = [
        entry.get(key, "").strip()
        for key in ("numero_voie", "complement1", "complement2", "service_distribution")
    ]
    return ", ".join(p for p in parts if p)


def office_fields(record: dict) -> dict | None:
    """The Office fields of one DILA record, or None when it has none of the types we use."""
    pivots = _json_field(record.get("pivot")) or []
    types = [p.get("type_service_local") for p in pivots if p.get("type_service_local") in KINDS]
    if not types:
        return None
    addresses = _json_field(record.get("adresse")) or []
    physical = next(
        (a for a in addresses if a.get("type_adresse") == "Adresse"),
        addresses[0] if addresses else {},
    )
    postal = next((a for a in addresses if a.get("type_adresse") == "Adresse postale"), None)
    modified = None
    if record.get("date_modification"):
        try:
            modified = dt.datetime.strptime(
                record["date_modification"], "%d/%m/%Y %H:%M:%S"
            ).replace(tzinfo=dt.UTC)
        except ValueError:
            modified = None
    websites = [
        s.get("valeur", "").strip()
        for s in _json_field(record.get("site_internet")) or []
        if isinstance(s, dict)
    ]
    return {
        "id": record["id"],
        "ancien_code_pivot": record.get("ancien_code_pivot") or "",
        "kind": KINDS[types[0]],
        "dila_types": types,
        "name": (record.get("nom") or "").strip()[:300],
        "commune_insee": (record.get("code_insee_commune") or "")[:5],
        "address": _address(physical)[:300],
        "postcode": physical.get("code_postal", ""),
        "city": physical.get("nom_commune", ""),
        "postal_address": (
            f"{_address(postal)}, {postal.get('code_postal', '')} {postal.get('nom_commune', '')}".strip(
                " ,"
            )
            if postal
            else ""
        )[:300],
        "latitude": _float(physical.get("latitude")),
        "longitude": _float(physical.get("longitude")),
        "phones": _phones(record.get("telephone")),
        "emails": _emails(record.get("adresse_courriel")),
        "websites": [w for w in websites if w.startswith(("http://", "https://"))],
        "hours": _hours(record.get("plage_ouverture")),
        "url_service_public": (record.get("url_service_public") or "")[:300],
        "source_modified": modified,
    }


def iter_competences(path: Path) -> Iterator[tuple[str, str, list[str]]]:
    """(commune INSEE code, our kind, office ids in file order) from the per-commune zip."""
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if not name.endswith(".json"):
                continue
            data = json.loads(archive.read(name))
            for entry in data.get("type_service_local", []):
                kind = KINDS.get(entry.get("code_type_service_local"))
                if kind:
                    yield data["code_insee_commune"], kind, list(entry.get("organisme", []))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def import_archive(archive: Path, batch: int = 1000) -> dict:
    """Import DILA's `all_latest.tar.bz2` as published: both parts, read from the archive.

    The archive is read as a stream (`r|bz2`); its two members are copied to a temporary folder
    (the zip needs random access), imported, then deleted.
    """
    with tempfile.TemporaryDirectory(prefix="annuaire-") as folder:
        local = communes = None
        with tarfile.open(archive, "r|bz2") as tar:
            for member in tar:
                name = Path(member.name).name
                if not member.isfile() or not name.endswith(("_local.json", "_commune.zip")):
                    continue
                target = Path(folder) / name
                with tar.extractfile(member) as source, open(target, "wb") as out:
                    shutil.copyfileobj(source, out, CHUNK * 16)
                if name.endswith("_local.json"):
                    local = target
                else:
                    communes = target
        if local is None:
            raise ValueError(f"{archive.name} : pas de fichier …_local.json dans l'archive")
        return import_files(local, communes, batch)


def import_files(local: Path, communes: Path | None = None, batch: int = 1000) -> dict:
    """Import a local JSON export (and its commune zip); return the counts. All or nothing."""
    from guide.communes import directory
    from guide.models import Competence, ImportRun, Office

    places = directory()

    match = FILE_DATE.search(local.name)
    update_fields = [f.name for f in Office._meta.fields if f.name != "id"]
    counts = {"records": 0, "offices": 0, "removed": 0, "competences": 0, "by_kind": {}}
    with transaction.atomic():
        run = ImportRun.objects.create(
            file_name=local.name,
            file_date=dt.date.fromisoformat(match.group(1)) if match else None,
            sha256=_sha256(local),
        )
        pending: list[Office] = []

        def flush():
            Office.objects.bulk_create(
                pending, update_conflicts=True, unique_fields=["id"], update_fields=update_fields
            )
            pending.clear()

        for record in iter_records(local):
            counts["records"] += 1
            fields = (
                office_fields(record) if isinstance(record, dict) and record.get("id") else None
            )
            if fields is None:
                continue
            located = places.get(fields["commune_insee"])
            fields["departement"] = located.departement if located else ""
            pending.append(Office(**fields, import_run=run))
            counts["offices"] += 1
            counts["by_kind"][fields["kind"]] = counts["by_kind"].get(fields["kind"], 0) + 1
            if len(pending) >= batch:
                flush()
        flush()
        _, deleted = Office.objects.exclude(import_run=run).delete()
        counts["removed"] = deleted.get("guide.Office", 0)
        if communes is not None:
            known = set(Office.objects.values_list("id", flat=True))
            rows, seen_communes = [], set()
            for commune, kind, office_ids in iter_competences(communes):
                seen_communes.add(commune)
                rows += [
                    Competence(commune_insee=commune, kind=kind, office_id=office_id, rank=rank)
                    for rank, office_id in enumerate(office_ids)
                    if office_id in known
                ]
            Competence.objects.filter(commune_insee__in=seen_communes).delete()
            Competence.objects.bulk_create(rows, batch_size=batch, ignore_conflicts=True)
            counts["competences"] = len(rows)
        run.counts = counts
        run.finished_at = timezone.now()
        run.save(update_fields=["counts", "finished_at"])
    return counts
