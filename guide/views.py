from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from guide import engine, registry, state
from guide.forms import AnswerForm


def _procedure(slug: str) -> engine.Procedure:
    procedure = registry.get(slug)
    if procedure is None:
        raise Http404("Démarche inconnue")
    return procedure


def _bad_state(request, procedure: engine.Procedure):
    return render(request, "400.html", {"procedure": procedure}, status=400)


def _url(name: str, procedure: engine.Procedure, answers: dict[str, str]) -> str:
    url = reverse(name, args=[procedure.slug])
    return f"{url}?s={state.dump(procedure.slug, answers)}" if answers else url


@require_GET
def index(request):
    themes: dict[str, list[engine.Procedure]] = {}
    for procedure in registry.procedures().values():
        themes.setdefault(procedure.theme or "Autres démarches", []).append(procedure)
    return render(request, "guide/index.html", {"themes": themes})


@require_GET
def sources(request):
    return render(request, "guide/sources.html", {"procedures": registry.procedures().values()})


@require_http_methods(["GET", "POST"])
def step(request, slug: str):
    procedure = _procedure(slug)
    token = request.POST.get("s", "") if request.method == "POST" else request.GET.get("s", "")
    try:
        answers = state.load(token, slug)
        answers, question = procedure.check(answers)
    except (state.BadState, engine.AnswerError):
        return _bad_state(request, procedure)
    if question is None:
        return redirect(_url("guide:result", procedure, answers))
    form = AnswerForm(
        question, request.POST if request.method == "POST" else None, initial={"s": token}
    )
    if form.is_valid():
        return redirect(
            _url("guide:step", procedure, {**answers, question.id: form.cleaned_data["answer"]})
        )
    previous = dict(list(answers.items())[:-1])
    context = {
        "procedure": procedure,
        "question": question,
        "form": form,
        "number": len(answers) + 1,
        "remaining": procedure.remaining(answers),
        "back_url": _url("guide:step", procedure, previous) if answers else reverse("guide:index"),
    }
    return render(request, "guide/step.html", context, status=400 if form.errors else 200)


@require_GET
def result(request, slug: str):
    procedure = _procedure(slug)
    try:
        answers = state.load(request.GET.get("s", ""), slug)
        outcome = procedure.next_step(answers)
    except (state.BadState, engine.AnswerError):
        return _bad_state(request, procedure)
    if isinstance(outcome, engine.Question):
        return redirect(_url("guide:step", procedure, answers))
    return render(request, "guide/result.html", {"procedure": procedure, "result": outcome})
