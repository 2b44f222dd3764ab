"""The encrypted wizard state."""

import time

import pytest

from guide import state


def test_round_trip():
    token = state.dump("demo", {"lieu": "france"})
    assert state.load(token, "demo").answers == {"lieu": "france"}


def test_answers_are_not_readable_in_the_token():
    token = state.dump("demo", {"lieu": "france"})
    assert "france" not in token
    assert "lieu" not in token


def test_empty_token_means_no_answers():
    assert state.load("", "demo") == state.State()


def test_tampered_token_is_refused():
    token = state.dump("demo", {"lieu": "france"})
    tampered = token[:-5] + ("A" if token[-5] != "A" else "B") + token[-4:]
    with pytest.raises(state.BadState):
        state.load(tampered, "demo")


def test_garbage_is_refused():
    with pytest.raises(state.BadState):
        state.load("pas-un-jeton", "demo")


def test_token_of_another_procedure_is_refused():
    token = state.dump("autre", {"lieu": "france"})
    with pytest.raises(state.BadState):
        state.load(token, "demo")


def test_expired_token_is_refused(monkeypatch, settings):
    token = state.dump("demo", {"lieu": "france"})
    real_time = time.time()
    monkeypatch.setattr(
        "cryptography.fernet.time.time", lambda: real_time + settings.STATE_MAX_AGE["wizard"] + 1
    )
    with pytest.raises(state.BadState):
        state.load(token, "demo")


def test_token_from_the_previous_secret_key_is_accepted(settings):
    token = state.dump("demo", {"lieu": "france"})
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key"
    assert state.load(token, "demo").answers == {"lieu": "france"}


def test_token_from_an_unknown_key_is_refused(settings):
    token = state.dump("demo", {"lieu": "france"})
    settings.SECRET_KEY = "a-new-secret-key"
    with pytest.raises(state.BadState):
        state.load(token, "demo")


def test_the_question_being_changed_travels_in_the_token():
    token = state.dump("demo", {"lieu": "france"}, edit="lieu")
    assert state.load(token, "demo") == state.State({"lieu": "france"}, "lieu")
