"""A sensitive answer is never named back: not on the result page (what prints is the same HTML),
not in its title, not in the PDF. Walks every path through each option of each sensitive question."""

import html
import re

import pytest
from django.urls import reverse

from guide import state
from tests.test_pdf import text_of

pytestmark = pytest.mark.django_db

# What names the answer of each sensitive question (word stems, lower case, accents kept).
NAMES = {
    ("titre-sejour-perdu-vole", "protection"): (
        "protég",
        "protection",
        "victime",
        "violence",
        "traite",
        "proxén",
    ),
}
# The one answer after which the rule may be stated: the visitor did not say whether it applies.
UNSAID = "sans_reponse"
EXEMPTION = (  # as visible_text and text_of give it: every space a plain one
    "dans un cas, le duplicata est gratuit : votre carte d'1 an ou de 10 ans vous a été donnée "
    "comme victime de violences conjugales, de traite des êtres humains ou de proxénétisme."
)


def visible_text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page))).lower()


def sensitive_paths(compiled):
    for (slug, question_id), names in NAMES.items():
        procedure = compiled[slug]
        assert procedure.question(question_id).sensitive
        for answers in procedure.paths():
            if question_id in answers:
                yield slug, answers, answers[question_id], names


def named(text: str, names) -> list[str]:
    return [name for name in names if name in text]


def test_every_sensitive_question_is_covered(compiled):
    sensitive = {(slug, q.id) for slug, p in compiled.items() for q in p.questions if q.sensitive}
    assert sensitive == set(NAMES)


def test_no_result_page_or_title_names_a_sensitive_answer(client, loaded, compiled):
    walked = {}
    for slug, answers, answer, names in sensitive_paths(compiled):
        token = state.dump(slug, answers)
        page = client.get(reverse("guide:result", args=[slug]), {"s": token}).content.decode()
        title = visible_text(re.search(r"<title>(.*?)</title>", page, re.S).group(1))
        text = visible_text(page)
        assert named(title, names) == [], (answers, title)
        if answer == UNSAID:
            assert EXEMPTION in text, answers  # the visitor learns the rule that may apply
            assert named(text.replace(EXEMPTION, ""), names) == [], answers
        else:
            assert named(text, names) == [], (answers, named(text, names))
        walked[answer] = walked.get(answer, 0) + 1
    assert set(walked) == {"oui", "non", UNSAID}, walked


def test_no_pdf_names_a_sensitive_answer(client, loaded, compiled):
    """One PDF per distinct content: paths whose result has the same outcome and lines differ only
    by the situation box, whose words (other questions' options) are checked below."""
    rendered = set()
    for slug, answers, answer, names in sensitive_paths(compiled):
        result = compiled[slug].result(answers)
        content = (
            answer,
            result.outcome.id,
            tuple(line.item.id for line in result.lines()),
        )
        if content in rendered:
            continue
        rendered.add(content)
        response = client.get(reverse("guide:pdf", args=[slug]), {"s": state.dump(slug, answers)})
        assert response.status_code == 200
        text = text_of(response.content).lower()
        if answer == UNSAID:
            text = text.replace(EXEMPTION, "")
        assert named(text, names) == [], (answers, named(text, names))


def test_the_situation_box_cannot_name_a_sensitive_answer(compiled):
    """The PDF's "Votre situation" lists the other questions and answers: none names it."""
    for (slug, _), names in NAMES.items():
        for question in compiled[slug].questions:
            if not question.sensitive:
                words = " ".join([question.text, *(o.label for o in question.options)]).lower()
                assert named(words, names) == [], question.id
