"""The wizard's answers travel with the visitor, encrypted, never stored here.

A token is a Fernet token (AES-128-CBC + HMAC-SHA256, with its creation time)
over {"p": slug, "a": answers}. The key is derived from SECRET_KEY and the
token's purpose, so a token made for one purpose is refused for another, and
SECRET_KEY_FALLBACKS keep recent tokens valid across a key rotation.

In the counter mode (/guichet/, guide/modes.py) the tokens are made for another purpose, live
minutes instead of hours, and carry a random visit id: *Visiteur suivant* records that visit as
ended (guide/counter.py), and every later request carrying one of its tokens is refused. The mode
and the visit are set per request (`mode()`), so every URL a view builds stays in its visit.
"""

from __future__ import annotations

import base64
import contextlib
import contextvars
import functools
import json
import os
import secrets
import struct
import time
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

WIZARD = "wizard"
COUNTER = "counter"

_counter: contextvars.ContextVar[bool] = contextvars.ContextVar("guide_counter", default=False)
_visit: contextvars.ContextVar[str | None] = contextvars.ContextVar("guide_visit", default=None)


@contextlib.contextmanager
def mode(name: str):
    """Within this block, wizard tokens are those of the mode ("counter" or "site")."""
    counter, visit = _counter.set(name == COUNTER), _visit.set(None)
    try:
        yield
    finally:
        _counter.reset(counter)
        _visit.reset(visit)


def _purpose(purpose: str) -> str:
    return COUNTER if purpose == WIZARD and _counter.get() else purpose


def current_visit() -> str | None:
    """The counter visit of this request's token (or of the token it made), if any."""
    return _visit.get()


@dataclass(frozen=True)
class State:
    """The answers so far; while changing one answer from the summary, that question's id; and
    after a change opened new questions, the later answers held until those are answered."""

    answers: dict[str, str] = field(default_factory=dict)
    edit: str | None = None
    later: dict[str, str] = field(default_factory=dict)


class BadState(Exception):
    """A token that is tampered with, expired, for another procedure, or malformed."""


class VisitEnded(BadState):
    """A counter token of a visit that *Visiteur suivant* (or the inactivity timeout) ended."""


def _fernet(purpose: str) -> MultiFernet:
    return _fernet_for(purpose, settings.SECRET_KEY, tuple(settings.SECRET_KEY_FALLBACKS))


@functools.lru_cache(maxsize=16)
def _fernet_for(purpose: str, secret: str, fallbacks: tuple[str, ...]) -> MultiFernet:
    """Derived once per key and purpose (three derivations a request cost 5 % of a question page);
    a changed SECRET_KEY or fallback list is a new cache key."""
    keys = []
    for secret_ in (secret, *fallbacks):
        hkdf = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=f"guide.state.{purpose}".encode()
        )
        keys.append(Fernet(base64.urlsafe_b64encode(hkdf.derive(secret_.encode()))))
    return MultiFernet(keys)


def dump(
    slug: str,
    answers: dict[str, str],
    edit: str | None = None,
    later: dict[str, str] | None = None,
    purpose: str = WIZARD,
) -> str:
    data = (
        {"p": slug, "a": answers} | ({"e": edit} if edit else {}) | ({"l": later} if later else {})
    )
    purpose = _purpose(purpose)
    if purpose == COUNTER:
        if _visit.get() is None:  # the visit's first answer: it starts here
            _visit.set(secrets.token_urlsafe(12))
        data["v"] = _visit.get()
    return seal(data, purpose)


def load(token: str, slug: str, purpose: str = WIZARD) -> State:
    """The state in a token made for this procedure; raises BadState otherwise."""
    if not token:
        return State()
    payload = _decrypt(token, _purpose(purpose))
    if payload.get("p") != slug:
        raise BadState("état d'une autre démarche")
    answers, edit, later = payload.get("a"), payload.get("e"), payload.get("l", {})
    if not _is_answers(answers) or not _is_answers(later):
        raise BadState("état mal formé")
    if edit is not None and not isinstance(edit, str):
        raise BadState("état mal formé")
    return State(answers, edit, later)


def _decrypt(token: str, purpose: str) -> dict:
    payload = unseal(token, purpose, settings.STATE_MAX_AGE[purpose])
    if purpose == COUNTER:
        from guide import counter

        visit = payload.get("v")
        if not isinstance(visit, str) or not visit:
            raise BadState("état mal formé")
        if counter.ended(visit):
            raise VisitEnded("visite terminée")
        _visit.set(visit)
    return payload


def seal(data: dict, purpose: str) -> str:
    """Any JSON data, encrypted and authenticated with the key of this purpose."""
    return _fernet(purpose).encrypt(json.dumps(data, separators=(",", ":")).encode()).decode()


def unseal(token: str, purpose: str, max_age: int) -> dict:
    """The data of a token sealed for this purpose less than `max_age` seconds ago; raises
    BadState otherwise."""
    try:
        data = json.loads(_fernet(purpose).decrypt(token.encode(), ttl=max_age))
    except (InvalidToken, ValueError, UnicodeError) as exc:
        raise BadState("donnée invalide ou expirée") from exc
    if not isinstance(data, dict):
        raise BadState("donnée mal formée")
    return data


def visit_of(token: str) -> str | None:
    """The visit a counter token belongs to (whatever its procedure), or None."""
    try:
        _decrypt(token, COUNTER)
    except BadState:
        return None
    return _visit.get()


def _is_answers(value: object) -> bool:
    return isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    )


# Printed links --------------------------------------------------------------------------
# The PDF carries a link (and its QR code) that reopens the result. It must be short enough to
# type, so it is not a Fernet token: the answers become one byte per question (the option's
# position, 255 when not asked), with a 4-byte expiry, sealed with AES-GCM. The procedure's
# question and option ids are authenticated with it, so a link made before the procedure's
# questions changed is refused instead of being read with the wrong options.

LINK = "link"


def _link_keys() -> list[bytes]:
    """The key printed links are sealed with, then those of SECRET_KEY_FALLBACKS: a link printed
    before a key rotation keeps working for its 30 days."""
    return [
        HKDF(algorithm=hashes.SHA256(), length=16, salt=None, info=b"guide.state.link").derive(
            secret.encode()
        )
        for secret in (settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS)
    ]


# A commune answer takes 6 bytes: its INSEE code in ASCII and its type (0 for a commune, 1–3
# for those sharing a code); 6 × 255 when not asked.
COMMUNE_TYPES = ("", "-deleguee", "-associee", "-arrondissement")
NO_COMMUNE = b"\xff" * 6


def _shape(procedure) -> bytes:
    return "|".join(
        f"{q.id}:{'@commune' if q.is_commune else ','.join(o.id for o in q.options)}"
        for q in procedure.questions
    ).encode()


def _encode(question, value: str | None) -> bytes:
    if question.is_commune:
        if not value:
            return NO_COMMUNE
        code, _, kind = value.partition("-")
        return code.encode("ascii") + bytes([COMMUNE_TYPES.index(f"-{kind}" if kind else "")])
    return bytes([next((i for i, o in enumerate(question.options) if o.id == value), 255)])


def dump_link(procedure, answers: dict[str, str], now: float | None = None) -> tuple[str, int]:
    """A short token for these answers and its expiry (a Unix time)."""
    expires = int((now or time.time()) + settings.STATE_MAX_AGE[LINK])
    positions = b"".join(_encode(q, answers.get(q.id)) for q in procedure.questions)
    nonce = os.urandom(12)
    sealed = AESGCM(_link_keys()[0]).encrypt(
        nonce, struct.pack(">I", expires) + positions, _shape(procedure)
    )
    return base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("="), expires


def load_link(procedure, token: str, now: float | None = None) -> dict[str, str]:
    """The answers in a printed link; raises BadState if it is tampered with, stale or expired."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (ValueError, TypeError) as exc:
        raise BadState("lien invalide") from exc
    for key in _link_keys():
        try:
            plain = AESGCM(key).decrypt(raw[:12], raw[12:], _shape(procedure))
            break
        except (ValueError, InvalidTag, TypeError):
            continue
    else:
        raise BadState("lien invalide")
    (expires,) = struct.unpack(">I", plain[:4])
    size = sum(6 if q.is_commune else 1 for q in procedure.questions)
    if expires < (now or time.time()) or len(plain) - 4 != size:
        raise BadState("lien expiré")
    answers, at = {}, 4
    for question in procedure.questions:
        if question.is_commune:
            chunk, at = plain[at : at + 6], at + 6
            if chunk != NO_COMMUNE:
                if chunk[5] >= len(COMMUNE_TYPES) or not chunk[:5].isascii():
                    raise BadState("lien mal formé")
                answers[question.id] = chunk[:5].decode("ascii") + COMMUNE_TYPES[chunk[5]]
            continue
        position, at = plain[at], at + 1
        if position != 255:
            if position >= len(question.options):
                raise BadState("lien mal formé")
            answers[question.id] = question.options[position].id
    return answers
