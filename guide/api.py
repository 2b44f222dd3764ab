"""Read-only JSON API over the engine, for other front ends (a kiosk, a commune's own site)."""

import dataclasses
import json

from django.http import JsonResponse
from django.views.decorators.http import require_GET, require_POST

from guide import engine, places, registry


def _error(status: int, *problems: str) -> JsonResponse:
    return JsonResponse({"errors": list(problems)}, status=status)


def _question(question: engine.Question) -> dict:
    return {
        "id": question.id,
        "text": question.text,
        "hint": question.hint,
        "kind": question.kind,
        "options": [{"id": o.id, "label": o.label} for o in question.options],
        # A commune question has no options: its answer is the commune's INSEE code (with
        # "-deleguee", "-associee" or "-arrondissement" for those that share a code).
    }


def _source(source: engine.Source) -> dict:
    return {
        "id": source.id,
        "title": source.title,
        "url": source.url,
        "verified": source.verified.isoformat(),  # the version read
        "read": source.read.isoformat() if source.read else None,  # the day we read it
    }


def _line(line: engine.Line) -> dict:
    item = line.item
    data = {"id": item.id, "text": item.text, "source": item.source.id}
    for key in engine.ITEM_TEXT_FIELDS:
        if getattr(item, key):
            data[key] = getattr(item, key)
    if item.amount is not None:
        data["amount"] = str(item.amount)
    if item.or_amount is not None:
        data["or_amount"] = str(item.or_amount)
    if item.link:
        data["link"] = {"url": item.link, "label": item.link_label}
    if item.key:
        data["key"] = True
    if item.office is not None:
        office = item.office
        data["office"] = {
            key: getattr(office, key)
            for key in ("id", "name", "kind", "address", "hours", "phone", "email", "url", "note")
        }
        data["office"]["source"] = office.source.id
    data["because"] = [{"question": r.question.id, "answer": r.option.id} for r in line.because]
    return data


def _office_line(entry: places.OfficeLine) -> dict:
    data = _line(entry.line)
    if entry.local is not None:
        data["local"] = {
            "commune": entry.local.commune,
            "approximate": entry.local.approximate,
            "places": [dataclasses.asdict(place) for place in entry.local.places],
        }
    return data


def result_data(result: engine.Result) -> dict:
    lines = {
        section: [_line(line) for line in getattr(result, section)]
        for section in engine.SECTIONS
        if section not in ("fees", "offices")
    }
    office_lines = places.office_lines(result)
    lines["offices"] = [_office_line(entry) for entry in office_lines]
    if any(entry.local and entry.local.places for entry in office_lines):
        lines["offices_attribution"] = places.attribution(places.current_run())
    return {
        "outcome": {
            "id": result.outcome.id,
            "title": result.outcome.title,
            "kind": result.outcome.kind,
            "summary": result.outcome.summary,
            "source": result.outcome.source.id if result.outcome.source else None,
        },
        "sections": [
            {"id": section.id, "title": section.title} for section in result.procedure.sections
        ],
        **lines,
        "fees": {
            "lines": [_line(line) for line in result.fees.lines],
            "total": str(result.fees.total),
            "or_total": None if result.fees.or_total is None else str(result.fees.or_total),
        },
        "sources": [_source(s) for s in result.sources],
    }


@require_GET
def procedure_list(request):
    return JsonResponse(
        {
            "procedures": [
                {"slug": p.slug, "title": p.title, "summary": p.summary, "theme": p.theme}
                for p in registry.procedures().values()
            ]
        }
    )


@require_GET
def procedure_detail(request, slug: str):
    procedure = registry.get(slug)
    if procedure is None:
        return _error(404, f"démarche inconnue : {slug}")
    return JsonResponse(
        {
            "slug": procedure.slug,
            "title": procedure.title,
            "summary": procedure.summary,
            "questions": [_question(q) for q in procedure.questions],
            "sources": [_source(s) for s in procedure.sources],
        }
    )


@require_POST
def procedure_result(request, slug: str):
    procedure = registry.get(slug)
    if procedure is None:
        return _error(404, f"démarche inconnue : {slug}")
    if request.content_type != "application/json":
        return _error(415, "envoyez du JSON (Content-Type: application/json)")
    try:
        body = json.loads(request.body)
    except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: nested too deep
        return _error(400, "JSON illisible")
    answers = body.get("answers") if isinstance(body, dict) else None
    if not isinstance(answers, dict):
        return _error(400, 'le corps doit être {"answers": {"question": "réponse", …}}')
    try:
        step = procedure.next_step(answers)
    except engine.AnswerError as exc:
        return _error(400, *exc.problems)
    if isinstance(step, engine.Question):
        return JsonResponse({"question": _question(step)})
    return JsonResponse({"result": result_data(step)})
