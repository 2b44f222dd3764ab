"""Anonymous statistics, opt-in per deployment (`"statistics": true` in the commune file).

What is counted: one result reached, per day, procedure, outcome and channel (site, embed or counter).
Nothing else: no time of day, no address, no answer but the outcome, no commune, no visitor.
A result is counted once, when the wizard reaches it (the last answer of a short path, or
"Voir le résultat" from the summary), never when a result page is reloaded or reopened from a
printed link. Counts are held in memory and written every few seconds (`flush`), so counting
costs a result page nothing measurable; with the database unavailable they wait for the next
write (logged once a minute), and the page is served all the same. Counts under 5 are shown as
"moins de 5".
"""

from __future__ import annotations

import atexit
import datetime as dt
import logging
import threading
import time
from dataclasses import dataclass, field

from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import F, Sum
from django.utils import timezone

from guide import commune, engine, registry
from guide.models import ResultCount

log = logging.getLogger(__name__)
CHANNELS = {"site": "Site", "embed": "Site intégré", "counter": "Guichet"}
SMALL = 5  # counts under this are not shown as such
LOG_EVERY_SECONDS = 60
_last_logged = [float("-inf")]


def enabled() -> bool:
    return commune.get().get("statistics") is True


def channel(request) -> str:
    return getattr(request, "mode", "site")


# Counts wait in memory and are written every few seconds by a background thread, so a result
# page never waits for a database write (a write cost 3 ms on SQLite, 75 % of a result page).
# What a process holds when it is killed is lost; a database failure keeps them for the next try.
FLUSH_SECONDS = 5
BACKGROUND = True  # the tests write with flush() themselves
_pending: dict[tuple, int] = {}
_lock = threading.Lock()
_flusher: list[threading.Thread] = []


def count(request, result: engine.Result) -> None:
    """One more result reached today for this procedure, outcome and channel."""
    if not enabled():
        return
    key = (timezone.localdate(), result.procedure.slug, result.outcome.id, channel(request))
    with _lock:
        _pending[key] = _pending.get(key, 0) + 1
        if BACKGROUND and (not _flusher or not _flusher[0].is_alive()):
            _flusher[:] = [threading.Thread(target=_flush_forever, daemon=True, name="stats")]
            _flusher[0].start()


def _flush_forever() -> None:
    while True:
        time.sleep(FLUSH_SECONDS)
        flush()


def flush() -> None:
    """Write the counts held in memory (the flusher thread, tests, and at process exit)."""
    with _lock:
        pending = dict(_pending)
        _pending.clear()
    if not pending:
        return
    try:
        with transaction.atomic():
            for (day, procedure, outcome, via), number in pending.items():
                key = {"day": day, "procedure": procedure, "outcome": outcome, "channel": via}
                if not ResultCount.objects.filter(**key).update(count=F("count") + number):
                    try:
                        with transaction.atomic():
                            ResultCount.objects.create(**key, count=number)
                    except IntegrityError:  # another process created it meanwhile
                        ResultCount.objects.filter(**key).update(count=F("count") + number)
    except DatabaseError:
        with _lock:  # kept for the next try: a few keys a day, never a visitor's answers
            for key, number in pending.items():
                _pending[key] = _pending.get(key, 0) + number
        now = time.monotonic()
        if now - _last_logged[0] >= LOG_EVERY_SECONDS:
            _last_logged[0] = now
            log.warning("Statistiques : base de données indisponible, comptes gardés en mémoire.")
    finally:
        if threading.current_thread() is not threading.main_thread():
            connection.close()


atexit.register(flush)


def shown(number: int) -> str:
    return f"moins de {SMALL}" if number < SMALL else str(number)


@dataclass
class Row:
    procedure: str
    outcome: str
    by_channel: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.by_channel.values())

    def cells(self) -> list[str]:
        return [shown(self.by_channel.get(c, 0)) for c in CHANNELS] + [shown(self.total)]


@dataclass
class Month:
    first_day: dt.date
    rows: list[Row]

    @property
    def total(self) -> int:
        return sum(row.total for row in self.rows)

    @property
    def total_shown(self) -> str:
        return shown(self.total)


def months() -> list[Month]:
    """The counts by month (newest first), procedure and outcome, with their public titles."""
    procedures = registry.procedures()
    grouped: dict[dt.date, dict[tuple[str, str], Row]] = {}
    counts = (
        ResultCount.objects.values("day", "procedure", "outcome", "channel")
        .annotate(n=Sum("count"))
        .order_by()
    )
    for entry in counts:
        month = entry["day"].replace(day=1)
        procedure = procedures.get(entry["procedure"])
        titles = (
            procedure.title if procedure else entry["procedure"],
            next(
                (o.title for o in procedure.outcomes if o.id == entry["outcome"]),
                entry["outcome"],
            )
            if procedure
            else entry["outcome"],
        )
        row = grouped.setdefault(month, {}).setdefault(titles, Row(*titles))
        row.by_channel[entry["channel"]] = row.by_channel.get(entry["channel"], 0) + entry["n"]
    return [
        Month(month, sorted(rows.values(), key=lambda r: (r.procedure, r.outcome)))
        for month, rows in sorted(grouped.items(), reverse=True)
    ]


def csv_rows() -> list[list[str]]:
    """The CSV download: one line per day, procedure, outcome and channel."""
    lines = [["jour", "demarche", "issue", "canal", "nombre"]]
    for entry in ResultCount.objects.order_by("day", "procedure", "outcome", "channel"):
        lines.append(
            [
                entry.day.isoformat(),
                entry.procedure,
                entry.outcome,
                entry.channel,
                shown(entry.count),
            ]
        )
    return lines
