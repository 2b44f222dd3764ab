"""The read-only JSON API."""

import json

import pytest

pytestmark = pytest.mark.django_db
SLUG = "titre-sejour-perdu-vole"
RESULT = f"/api/procedures/{SLUG}/result"


def post(client, body, content_type="application/json"):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(RESULT, data, content_type=content_type)


def test_list(client, loaded):
    data = client.get("/api/procedures/").json()
    assert {"attestation-accueil", SLUG} <= {p["slug"] for p in data["procedures"]}


def test_detail_lists_questions_and_options(client, loaded):
    data = client.get(f"/api/procedures/{SLUG}/").json()
    first = data["questions"][0]
    assert first["id"] == "evenement"
    assert first["options"] == [
        {"id": "perdu", "label": "Je l'ai perdu"},
        {"id": "vole", "label": "On me l'a volé"},
    ]


def test_partial_answers_give_the_next_question(client, loaded):
    response = post(client, {"answers": {"evenement": "vole"}})
    assert response.status_code == 200
    question = response.json()["question"]
    assert question["id"] == "statut"
    assert {"id", "text", "hint", "options"} <= question.keys()


def test_complete_answers_give_the_result(client, loaded):
    answers = {
        "evenement": "vole",
        "statut": "autre",
        "lieu": "france",
        "carte": "resident",
        "protection": "non",
        "mention_resident": "rente",
        "commune": "84035",
    }
    result = post(client, {"answers": answers}).json()["result"]
    assert result["fees"]["total"] == "75.00"
    assert result["fees"]["lines"][0]["amount"] == "75.00"
    assert {o["office"]["kind"] for o in result["offices"]} == {
        "service_en_ligne",
        "commissariat_police",
    }
    assert "recepisse-plainte" in [d["id"] for d in result["documents"]]
    for section in ("documents", "steps", "offices", "deadlines", "appeals"):
        assert all(item["text"] is not None and item["source"] for item in result[section])
    assert all(s["verified"] for s in result["sources"])


def test_answers_that_do_not_fit_give_400_with_every_problem(client, loaded):
    response = post(client, {"answers": {"evenement": "mars", "age": "12"}})
    assert response.status_code == 400
    assert len(response.json()["errors"]) == 2


@pytest.mark.parametrize(
    "body",
    [
        "{not json",
        '"a string"',
        '{"answers": []}',
        '{"answers": {"evenement": 3}}',
        "[]",
        b"\xff\xfe",
    ],
)
def test_malformed_bodies_give_400(client, loaded, body):
    response = post(client, body)
    assert response.status_code == 400
    assert response.json()["errors"]


def test_wrong_content_type_gives_415(client, loaded):
    assert (
        post(client, "answers=1", content_type="application/x-www-form-urlencoded").status_code
        == 415
    )


def test_unknown_slug_gives_404(client, loaded):
    assert client.get("/api/procedures/inconnue/").status_code == 404
    assert (
        client.post(
            "/api/procedures/inconnue/result", "{}", content_type="application/json"
        ).status_code
        == 404
    )


def test_get_on_result_gives_405(client, loaded):
    assert client.get(RESULT).status_code == 405


def test_api_result_makes_no_query_after_warm_up(
    client, loaded, settings, django_assert_num_queries
):
    settings.PROCEDURES_RECHECK_SECONDS = 3600
    post(client, {"answers": {}})
    with django_assert_num_queries(0):
        assert (
            post(client, {"answers": {"evenement": "perdu", "statut": "europeen"}}).status_code
            == 200
        )


def test_every_path_of_every_procedure_completes_through_the_api(client, loaded, compiled):
    for slug, procedure in compiled.items():
        for answers in procedure.paths():
            response = client.post(
                f"/api/procedures/{slug}/result",
                json.dumps({"answers": answers}),
                content_type="application/json",
            )
            assert response.status_code == 200, (slug, answers, response.content)
            assert (
                response.json()["result"]["outcome"]["id"] == procedure.result(answers).outcome.id
            )
