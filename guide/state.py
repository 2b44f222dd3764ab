"""The wizard's answers travel with the visitor, encrypted, never stored here.

A token is a Fernet token (AES-128-CBC + HMAC-SHA256, with its creation time)
over {"p": slug, "a": answers}. The key is derived from SECRET_KEY and the
token's purpose, so a token made for one purpose is refused for another, and
SECRET_KEY_FALLBACKS keep recent tokens valid across a key rotation.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

WIZARD = "wizard"


@dataclass(frozen=True)
class State:
    """The answers so far and, while changing one answer from the summary, that question's id."""

    answers: dict[str, str] = field(default_factory=dict)
    edit: str | None = None


class BadState(Exception):
    """A token that is tampered with, expired, for another procedure, or malformed."""


def _fernet(purpose: str) -> MultiFernet:
    secrets = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    keys = []
    for secret in secrets:
        hkdf = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=f"guide.state.{purpose}".encode()
        )
        keys.append(Fernet(base64.urlsafe_b64encode(hkdf.derive(secret.encode()))))
    return MultiFernet(keys)


def dump(slug: str, answers: dict[str, str], edit: str | None = None, purpose: str = WIZARD) -> str:
    data = {"p": slug, "a": answers} | ({"e": edit} if edit else {})
    payload = json.dumps(data, separators=(",", ":")).encode()
    return _fernet(purpose).encrypt(payload).decode()


def load(token: str, slug: str, purpose: str = WIZARD) -> State:
    """The state in a token made for this procedure; raises BadState otherwise."""
    if not token:
        return State()
    max_age = settings.STATE_MAX_AGE[purpose]
    try:
        payload = json.loads(_fernet(purpose).decrypt(token.encode(), ttl=max_age))
    except (InvalidToken, ValueError, UnicodeError) as exc:
        raise BadState("état invalide ou expiré") from exc
    if not isinstance(payload, dict) or payload.get("p") != slug:
        raise BadState("état d'une autre démarche")
    answers = payload.get("a")
    if not isinstance(answers, dict):
        raise BadState("état mal formé")
    edit = payload.get("e")
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in answers.items()):
        raise BadState("état mal formé")
    if edit is not None and not isinstance(edit, str):
        raise BadState("état mal formé")
    return State(answers, edit)
