"""10,000 generated requests over every URL, method, form field and API body: no 5xx, no cookie.

Seeded, so a failure can be replayed: the assertion names the request that failed.
"""

import json
import random
import string

import pytest

from guide import state

pytestmark = pytest.mark.django_db
REQUESTS = 10_000
SLUGS = ["titre-sejour-perdu-vole", "attestation-accueil", "reintegration-nationalite", "inconnue"]
METHODS = ["GET", "GET", "POST", "POST", "HEAD", "PUT", "DELETE", "PATCH", "OPTIONS"]
CONTENT_TYPES = [
    "application/json",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "text/plain",
    "application/json; charset=latin-1",
    "",
]


def text(rng: random.Random) -> str:
    """A value a visitor, a robot or an attacker might send."""
    kind = rng.randrange(12)
    if kind == 0:
        return ""
    if kind == 1:
        return "x" * rng.choice([1_000, 100_000])  # huge
    if kind == 2:
        return "".join(rng.choice(string.printable) for _ in range(rng.randrange(1, 40)))
    if kind == 3:
        return "".join(chr(rng.randrange(0x20, 0x2FFF)) for _ in range(rng.randrange(1, 20)))
    if kind == 4:
        return "gAAAAA" + "".join(rng.choice(string.ascii_letters) for _ in range(80))
    if kind == 5:  # a real token, with answers that may or may not fit
        return state.dump(rng.choice(SLUGS), {"evenement": rng.choice(["vole", "perdu", "x"])})
    if kind == 6:
        return state.dump(rng.choice(SLUGS), {}, edit=rng.choice(["carte", "x", ""]))
    if kind == 11 and rng.random() < 0.5:  # a counter token
        with state.mode(state.COUNTER):
            return state.dump(rng.choice(SLUGS), {"evenement": rng.choice(["vole", "perdu"])})
    if kind == 7:
        return "../" * rng.randrange(1, 5) + "etc/passwd"
    if kind == 8:
        return "<script>alert(1)</script>"
    if kind == 9:
        return "%00%ff%fe"
    if kind == 10:
        return "84" + str(rng.randrange(1000))
    return rng.choice(["vole", "perdu", "autre", "france", "un_an", "84035", "Saint", "oui"])


def body(rng: random.Random) -> bytes:
    kind = rng.randrange(8)
    if kind == 0:
        return b""
    if kind == 1:
        return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 200)))  # invalid UTF-8
    if kind == 2:
        depth = rng.choice([10, 1_000, 5_000, 50_000])
        return b"[" * depth + b"]" * depth
    if kind == 3:
        return json.dumps(
            {"answers": {text(rng): text(rng) for _ in range(rng.randrange(5))}}
        ).encode()
    if kind == 4:
        return json.dumps({"answers": [1, 2]}).encode()
    if kind == 5:
        return json.dumps(rng.choice([None, 1, "x", [], {"answers": None}])).encode()
    if kind == 6:
        return (
            "answer=" + text(rng) + "&s=" + text(rng) + "&q=" + text(rng) + "&code=" + text(rng)
        ).encode("utf-8", "surrogatepass")
    return b"x" * 1_000_000  # a megabyte


def path(rng: random.Random) -> str:
    slug = rng.choice([*SLUGS, text(rng)[:50] or "x"])
    prefix = rng.choice(["", "", "/embed", "/guichet"])
    route = rng.choice(
        [
            "/",
            f"/demarche/{slug}/",
            f"/demarche/{slug}/recapitulatif/",
            f"/demarche/{slug}/resultat/",
            f"/demarche/{slug}/resultat.pdf",
            f"/r/{slug}/{text(rng)[:80] or 'x'}/",
            "/communes/suggestions/",
            "/code/",
            "/suivant/",
            "/sources/",
            "/accessibilite/",
            "/confidentialite/",
            "/integrer/",
            "/theme.css",
            "/robots.txt",
            "/sante/",
            "/api/procedures/",
            f"/api/procedures/{slug}/",
            f"/api/procedures/{slug}/result",
            f"/{text(rng)[:30]}",
        ]
    )
    query = rng.choice(["", f"?s={text(rng)}", f"?q={text(rng)}", f"?s={text(rng)}&q={text(rng)}"])
    return prefix + route + query


def test_generated_requests_never_get_a_5xx_nor_a_cookie(client, loaded, settings):
    settings.PDF_WAIT_SECONDS = 0
    client.raise_request_exception = False
    rng = random.Random(20261129)
    failures, statuses, skipped = [], {}, 0
    for number in range(REQUESTS):
        method, url = rng.choice(METHODS), path(rng)
        content_type = rng.choice(CONTENT_TYPES)
        if "/api/" in url and url.split("?")[0].endswith("/result") and rng.random() < 0.8:
            method, content_type = "POST", "application/json"  # where JSON bodies are read
        elif "/demarche/" in url and rng.random() < 0.5:
            method, content_type = "POST", "application/x-www-form-urlencoded"  # the wizard
        if rng.random() < 0.3:
            client.cookies["csrftoken"] = text(rng)[:60]
        else:
            client.cookies.clear()
        headers = {"HX-Request": "true"} if rng.random() < 0.3 else {}
        try:
            response = client.generic(
                method,
                url,
                data=body(rng) if method in {"POST", "PUT", "PATCH"} else b"",
                content_type=content_type,
                headers=headers,
            )
        except ValueError:  # the test client refuses to build this request (not the site)
            skipped += 1
            continue
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        if response.status_code >= 500 and not (
            response.status_code == 503 and url.endswith(".pdf")
        ):
            failures.append((number, method, url[:120], response.status_code))
        if response.cookies:
            failures.append((number, method, url[:120], "cookie", list(response.cookies)))
    assert failures == []
    assert skipped < REQUESTS // 100
    # The requests reached the site's every answer, not only its 404s.
    assert {200, 302, 400, 404, 405, 415} <= set(statuses), statuses
