"""The counter mode's two records: ended visits and short codes.

Ended visits. At a counter the next visitor sits at the same browser, so *Visiteur suivant*
must leave nothing that Back, Forward or the history reaches. With JavaScript every page of a
visit replaces the same history entry, but without it (or for an entry such as the PDF) the
browser asks the server again for an address whose token is still valid. So counter tokens carry
a random visit id, and ending a visit records that id until its tokens expire anyway (30 minutes
by default): every later request of the visit gets "Cette visite est terminée". The check is one
primary-key lookup per counter page, the only database query of a counter wizard step; if the
database cannot answer, the page is served (the public site's rule: content from memory first)
and the failure is logged once a minute.

Short codes. A code the agent reads out and the visitor types: 10 characters of Crockford's
base 32 (digits and letters without I, L, O, U; a typed I or L counts as 1, O as 0), shown as
"7KQ-2M9-XW3A", 50 bits. It cannot carry the answers themselves (the permit's nine answers,
the expiry and a tag against forgery need about 26 such characters), so it is a reference: the
record holds the printed link's token, encrypted again with a key derived from the server's,
and the day it expires; the code is stored only as its SHA-256. Seeing a code tells nothing;
typing it within 30 days reopens the result, like the QR code. A guess has about one chance in
10¹⁰ per live code: no rate limit is needed at the speed this server answers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import secrets
import time

from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone

from guide import state

logger = logging.getLogger(__name__)

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32
LENGTH = 10
LOOK_ALIKES = str.maketrans({"I": "1", "L": "1", "O": "0"})
CODE = "code"  # the purpose of the key the records are sealed with


class BadCode(Exception):
    """A code that is malformed (`reason` "format") or unknown, expired or stale ("unknown")."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


# Ended visits ------------------------------------------------------------------------------

_last_failure = 0.0


def end(visit: str) -> None:
    from guide.models import EndedVisit

    until = timezone.now() + dt.timedelta(seconds=settings.STATE_MAX_AGE[state.COUNTER])
    try:
        EndedVisit.objects.update_or_create(visit=visit[:32], defaults={"until": until})
        _purge()
    except DatabaseError:
        logger.warning("Fin de visite non enregistrée : base de données indisponible")


def ended(visit: str) -> bool:
    from guide.models import EndedVisit

    global _last_failure
    try:
        return EndedVisit.objects.filter(visit=visit).exists()
    except DatabaseError:
        if time.monotonic() - _last_failure > 60:
            logger.warning("Visites terminées illisibles : base de données indisponible")
        _last_failure = time.monotonic()
        return False


_purged = 0.0


def _purge() -> None:
    """Forget ended visits and codes past their time, at most once a minute per process."""
    from guide.models import EndedVisit, ShortCode

    global _purged
    if time.monotonic() - _purged < 60:
        return
    _purged = time.monotonic()
    EndedVisit.objects.filter(until__lt=timezone.now()).delete()
    ShortCode.objects.filter(expires__lt=timezone.localdate()).delete()


# Short codes -------------------------------------------------------------------------------


def grouped(code: str) -> str:
    return f"{code[:3]}-{code[3:6]}-{code[6:]}"


def normalise(typed: str) -> str:
    """The code in a typed text (spaces, dashes, lower case and look-alikes forgiven)."""
    code = "".join(c for c in typed.upper() if c.isalnum()).translate(LOOK_ALIKES)
    if len(code) != LENGTH or any(c not in ALPHABET for c in code):
        raise BadCode("format")
    return code


def _digest(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def _new_code(procedure, answers: dict[str, str], visit: str | None) -> str:
    """Random; within a counter visit, the same for the same answers (the screen and the PDF
    show one code), derived from the visit's random id with a key of the server's."""
    if visit is None:
        return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    message = json.dumps(["guide.counter.code", visit, procedure.slug, sorted(answers.items())])
    mac = hmac.new(settings.SECRET_KEY.encode(), message.encode(), hashlib.sha256).digest()
    number = int.from_bytes(mac[:8])
    return "".join(ALPHABET[(number >> (5 * i)) & 31] for i in range(LENGTH))


def issue(procedure, answers: dict[str, str]) -> str | None:
    """A code that reopens this result for the printed link's lifetime; None (logged) when the
    database cannot record it: the page or PDF is then given without a code."""
    from guide.models import ShortCode

    code = _new_code(procedure, answers, state.current_visit())
    token, expires = state.dump_link(procedure, answers)
    sealed = state.seal({"p": procedure.slug, "t": token}, CODE)
    day = dt.datetime.fromtimestamp(expires, tz=dt.UTC).date() + dt.timedelta(days=1)
    try:
        ShortCode.objects.bulk_create(
            [ShortCode(digest=_digest(code), sealed=sealed, expires=day)], ignore_conflicts=True
        )
        _purge()
    except DatabaseError:
        logger.warning("Code court non enregistré : base de données indisponible")
        return None
    return code


def open_code(typed: str) -> tuple[str, str]:
    """(procedure slug, printed-link token) of a typed code; raises BadCode."""
    from guide.models import ShortCode

    record = ShortCode.objects.filter(
        digest=_digest(normalise(typed)), expires__gte=timezone.localdate()
    ).first()
    if record is None:
        raise BadCode("unknown")
    try:
        payload = state.unseal(record.sealed, CODE, settings.STATE_MAX_AGE[state.LINK])
    except state.BadState as exc:
        raise BadCode("unknown") from exc
    if not isinstance(payload.get("p"), str) or not isinstance(payload.get("t"), str):
        raise BadCode("unknown")
    return payload["p"], payload["t"]
