"""The wizard and the site's pages.

Every page works as plain HTML forms and links (post/redirect/get). With htmx, a request
carrying HX-Request gets only the page's `content` partial, preceded by its <title>, and a
successful answer is answered with the next page directly plus HX-Push-Url, so the address bar
and Back/Forward behave as without JavaScript.
"""

import csv
import datetime as dt
import unicodedata

import segno
from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from guide import (
    commune,
    communes,
    counter,
    engine,
    modes,
    pdf,
    places,
    registry,
    state,
    statistics,
)
from guide.context_processors import duration, languages_of
from guide.forms import AnswerForm, CommuneForm


def _page(
    request, template: str, context: dict, status: int = 200, push_url: str = ""
) -> HttpResponse:
    """The whole page, or for htmx its title and `content` partial (what <main> holds).

    At the counter, the title says only what kind of page it is (the browser's history shows
    titles to the next visitor), and htmx replaces the history entry instead of adding one."""
    counter = getattr(request, "counter", False)
    if counter:
        context = {**context, "counter_title": _counter_title(template, context)}
    if not request.htmx:
        return render(request, template, context, status=status)
    # Both partials come out of the template engine already escaped: escaping them again would
    # show "d&#x27;accueil" in the tab title.
    title = (
        context.get("counter_title")
        or render_to_string(f"{template}#title", context, request).strip()
    )
    body = render_to_string(f"{template}#content", context, request)
    # The language switcher is outside <main>: htmx replaces it too (out of band), pointing at the
    # page now shown.
    languages = languages_of(request, push_url)
    if languages:
        body += render_to_string(
            "guide/languages.html", {"languages": languages, "oob": True}, request
        )
    response = HttpResponse(
        format_html(
            "<title>{} – {}</title>{}", mark_safe(title), commune.get()["name"], mark_safe(body)
        ),
        status=status,
    )
    if counter:
        response["HX-Replace-Url"] = push_url or request.get_full_path()
    elif push_url:
        response["HX-Push-Url"] = push_url
    return response


def _counter_title(template: str, context: dict) -> str:
    if template == "guide/step.html":
        kind = _("Question %(number)s") % {"number": context["number"]}
    else:
        kind = {
            "guide/summary.html": _("Vérifiez les réponses"),
            "guide/result.html": _("Résultat"),
            "guide/visit_ended.html": _("Visite terminée"),
            "400.html": _("Parcours interrompu"),
            "404.html": _("Page introuvable"),
            "guide/code.html": _("J'ai un code"),
        }.get(template, _("Accueil"))
    return _("%(page)s – Guichet") % {"page": kind}


def _procedure(slug: str) -> engine.Procedure:
    procedure = registry.get(slug)
    if procedure is None:
        raise Http404("Démarche inconnue")
    return procedure


def _bad_state(request, procedure: engine.Procedure, error: Exception) -> HttpResponse:
    if isinstance(error, state.VisitEnded):
        return _visit_ended(request)
    return _page(request, "400.html", {"procedure": procedure}, status=400)


def _visit_ended(request) -> HttpResponse:
    """410: an address of a counter visit that was ended (Back, Forward, the history)."""
    response = _page(request, "guide/visit_ended.html", {}, status=410)
    response["Cache-Control"] = "no-store"
    return response


def _url(
    name: str,
    procedure: engine.Procedure,
    answers: dict[str, str],
    edit: str | None = None,
    later: dict[str, str] | None = None,
) -> str:
    url = reverse(name, args=[procedure.slug])
    return f"{url}?s={state.dump(procedure.slug, answers, edit, later)}" if answers else url


# Offices of the catalogue that are national bodies, listed on the sources page.
NATIONAL_KINDS = ("administration_centrale", "defenseur_droits", "prefecture_police_paris")


def _fold(text: str) -> str:
    """Lower case without accents, for a search that forgives both."""
    return "".join(
        c for c in unicodedata.normalize("NFD", text.casefold()) if not unicodedata.combining(c)
    )


@require_GET
@vary_on_headers("HX-Request")
def index(request):
    """The procedures, most asked first, grouped by theme; the search looks in titles, summaries,
    themes and the words people use (`keywords`). When no procedure has every word, those that
    have one of them are offered, and said to be so."""
    query = request.GET.get("q", "").strip()[:100]
    words = _fold(query).split()
    every = registry.procedures().values()
    found = [p for p in every if all(word in _haystack(p) for word in words)]
    partial = not found and bool(words)
    if partial:  # words of 4 letters or more: "de", "mon", "une" would match everything
        long = [word for word in words if len(word) >= 4]
        found = [p for p in every if any(word in _haystack(p) for word in long)]
    themes: dict[str, list[engine.Procedure]] = {}
    for procedure in found:
        themes.setdefault(procedure.theme or _("Autres démarches"), []).append(procedure)
    context = {"themes": themes, "query": query, "count": len(found), "partial": partial}
    if request.htmx and request.htmx.target == "resultats":
        return render(request, "guide/index.html#results", context)
    return _page(request, "guide/index.html", context)


def _haystack(procedure: engine.Procedure) -> str:
    return _fold(
        " ".join((procedure.title, procedure.summary, procedure.theme, *procedure.keywords))
    )


def _question_page(
    request, procedure, answers, question, edit=None, form=None, push_url="", later=None
):
    asked = list(procedure.asked(answers))
    number = next(
        (i for i, r in enumerate(asked, 1) if r.question.id == question.id), len(asked) + 1
    )
    if edit:
        back_url = _url("guide:summary", procedure, answers)
    elif answers:
        back_url = _url("guide:step", procedure, dict(list(answers.items())[:-1]), later=later)
    else:
        back_url = reverse("guide:index")
    form = form or _form(question, initial={"answer": answers.get(question.id)})
    error = next(iter(form.errors.values()), [""])[0] if form.errors else ""
    context = {
        "error": error,
        "error_target": form.error_target() if error else "",
        "procedure": procedure,
        "question": question,
        "form": form,
        "token": state.dump(procedure.slug, answers, edit, later) if answers or edit else "",
        "number": number,
        "total": None if edit or later else _total(procedure, answers, number),
        "back_url": back_url,
    }
    return _page(
        request, "guide/step.html", context, status=400 if form.errors else 200, push_url=push_url
    )


def _form(question: engine.Question, data=None, initial=None):
    if question.is_commune:
        return CommuneForm(question, commune.get()["communes"], data, initial=initial)
    return AnswerForm(question, data, initial=initial)


def _answer_ids(result: engine.Result) -> dict[str, str]:
    return {reason.question.id: reason.option.id for reason in result.answers}


def _total(procedure: engine.Procedure, answers: dict[str, str], number: int) -> int | None:
    remaining = procedure.remaining(answers)
    return None if remaining is None else number + remaining - 1


def _summary_page(request, procedure, answers, push_url=""):
    rows = [
        (reason, _url("guide:step", procedure, answers, edit=reason.question.id))
        for reason in procedure.asked(answers)
    ]
    context = {
        "procedure": procedure,
        "rows": rows,
        # `vu=1`, when statistics are on: this link reaches the result (counted once); the
        # result page then drops it from the address, so a reload does not count again.
        "result_url": _url("guide:result", procedure, answers)
        + ("&vu=1" if statistics.enabled() else ""),
    }
    return _page(request, "guide/summary.html", context, push_url=push_url)


@never_cache  # shows or carries answers: no copy in any cache
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def step(request, slug: str):
    procedure = _procedure(slug)
    data = request.POST if request.method == "POST" else request.GET
    try:
        current = state.load(data.get("s", ""), slug)
        answers, question = procedure.check(current.answers)
        if current.edit:
            question = procedure.question(current.edit)
            if question is None or current.edit not in answers:
                raise state.BadState("question à modifier inconnue")
    except (state.BadState, engine.AnswerError) as error:
        return _bad_state(request, procedure, error)
    if question is None:
        return redirect(_url("guide:summary", procedure, answers))
    if request.method == "GET":
        return _question_page(
            request, procedure, answers, question, current.edit, later=current.later
        )
    form = _form(question, request.POST)
    if not form.is_valid():
        return _question_page(
            request, procedure, answers, question, current.edit, form, later=current.later
        )
    value = form.cleaned_data["answer"]
    answers, later = {**answers, question.id: value}, {}
    if current.edit or current.later:
        # After a change, ask only the questions it opened; keep every later answer that fits.
        answers, _asked, later = procedure.resume({**answers, **current.later, question.id: value})
    _answers, following = procedure.check(answers)
    if following is None and len(answers) <= SHORT_PATH:
        # Nothing to check on one or two answers: the result shows them, with *Modifier*.
        target = _url("guide:result", procedure, answers)
        reached = procedure.result(answers)
        statistics.count(request, reached)
        if request.htmx:
            return _result_page(request, procedure, reached, push_url=target)
        return redirect(target)
    if following is None:
        target = _url("guide:summary", procedure, answers)
        return (
            _summary_page(request, procedure, answers, target) if request.htmx else redirect(target)
        )
    target = _url("guide:step", procedure, answers, later=later)
    return (
        _question_page(request, procedure, answers, following, push_url=target, later=later)
        if request.htmx
        else redirect(target)
    )


def _complete_answers(request, slug: str):
    """(procedure, answers, None) for a complete state, or (procedure, None, response)."""
    procedure = _procedure(slug)
    try:
        answers = state.load(request.GET.get("s", ""), slug).answers
        step = procedure.next_step(answers)
    except (state.BadState, engine.AnswerError) as error:
        return procedure, None, _bad_state(request, procedure, error)
    if isinstance(step, engine.Question):
        return procedure, None, redirect(_url("guide:step", procedure, answers))
    return procedure, step, None


@never_cache  # shows or carries answers: no copy in any cache
@require_GET
@vary_on_headers("HX-Request")
def summary(request, slug: str):
    procedure, result, response = _complete_answers(request, slug)
    if response:
        return response
    return _summary_page(request, procedure, _answer_ids(result))


@never_cache  # shows or carries answers: no copy in any cache
@require_GET
@vary_on_headers("HX-Request")
def result(request, slug: str):
    procedure, outcome, response = _complete_answers(request, slug)
    if response:
        return response
    if request.GET.get("vu") == "1":  # reached from the summary
        statistics.count(request, outcome)
        clean = _url("guide:result", procedure, _answer_ids(outcome))
        if not request.htmx:
            return redirect(clean)
        return _result_page(request, procedure, outcome, push_url=clean)
    # At the counter the agent sees the detailed result (why each line, its source) by default.
    detail = request.GET.get("vue", "detail" if request.counter else "") == "detail"
    return _result_page(request, procedure, outcome, detail=detail)


# Paths of this many answers or fewer skip *Vérifiez vos réponses*.
SHORT_PATH = 2


def _result_page(request, procedure, outcome, push_url="", detail=None):
    answers = _answer_ids(outcome)
    if detail is None:  # at the counter, the detailed result by default
        detail = request.counter
    result_url = _url("guide:result", procedure, answers)
    pdf_url = _url("guide:pdf", procedure, answers)
    context = {
        "procedure": procedure,
        "result": outcome,
        "situation": [
            (reason, _url("guide:step", procedure, answers, edit=reason.question.id))
            for reason in _situation(outcome)
        ],
        "summary_url": _url("guide:summary", procedure, answers),
        "pdf_url": pdf_url,
        "print_url": f"{pdf_url}&imprimer=1",
        # The detailed view (why each line, its source in full) is for an agent at the counter.
        "detail": detail,
        "detail_url": f"{result_url}&vue={'simple' if detail else 'detail'}",
        **_offices_context(outcome),
        **(_hand_over(request, procedure, answers) if request.counter else {}),
    }
    return _page(request, "guide/result.html", context, push_url=push_url)


def _hand_over(request, procedure, answers) -> dict:
    """At the counter: what the visitor takes away, a QR code to open the result on their phone
    (the printed link, on the public site) and a short code to type, the same as on the PDF."""
    link_url, _expires = _printed_link(request, procedure, answers)
    qr_label = _("Code QR du résultat")
    return {
        "link_url": link_url,
        "qr_svg": mark_safe(
            segno.make(link_url, error="m")
            .svg_inline(border=2, omitsize=True, svgclass="qr", light="#fff")
            .replace("<svg ", f'<svg role="img" aria-label="{qr_label}" ', 1)
        ),
        "short_code": _short_code(procedure, answers),
    }


def _printed_link(request, procedure, answers) -> tuple[str, int]:
    """The printed link (QR code) and its expiry: always the public site's address, which the
    visitor opens at home, not the counter's or the frame's."""
    token, expires = state.dump_link(procedure, answers)
    return _public_url(request, reverse("guide:link", args=[procedure.slug, token])), expires


def _public_url(request, path: str) -> str:
    """The absolute address of a reversed path, on the public site whatever the mode."""
    return request.build_absolute_uri(modes.public_path(request, path))


def _short_code(procedure, answers) -> str:
    code = counter.issue(procedure, answers)
    return counter.grouped(code) if code else ""


def _situation(outcome: engine.Result) -> list[engine.Reason]:
    """The answers the result shows back, "Votre situation": never a sensitive one."""
    return [reason for reason in outcome.answers if not reason.question.sensitive]


def _offices_context(outcome: engine.Result) -> dict:
    """Where to go: the offices found for the visitor's commune (those needed only after a
    refusal apart), one sentence when some address is unknown, one help line from the mairie
    when the procedure does not involve it, and the directory's credit."""
    lines = places.office_lines(outcome)
    mairie = places.home_mairie(outcome, commune.get()["communes"], lines)
    shown = [p for line in lines if line.local for p in line.local.places]
    shown += list(mairie.places) if mairie else []
    found = any(not place.source for place in shown)  # DILA's, not the commune file's
    return {
        "office_lines": [line for line in lines if not line.line.item.appeal],
        "appeal_offices": [line for line in lines if line.line.item.appeal],
        "unknown_in": next((line.local.commune for line in lines if line.find), ""),
        "help_mairie": mairie,
        "attribution": places.attribution(places.current_run()) if found else "",
    }


@require_http_methods(["POST"])
def commune_suggestions(request):
    """Communes for the autocomplete of a "Votre commune" question (htmx only).

    POST, so that what a visitor types (where they live) never sits in an address or a log.
    """
    typed = request.POST.get("q", "").strip()[:100]
    directory = communes.directory()
    found = directory.search(typed, limit=8) if len(typed) >= 2 else []
    return render(
        request,
        "guide/suggestions.html",
        {"typed": typed, "suggestions": [(c.key, directory.label(c)) for c in found]},
    )


@require_GET
def result_pdf(request, slug: str):
    procedure, outcome, response = _complete_answers(request, slug)
    if response:
        return response
    answers = _answer_ids(outcome)
    link_url, expires = _printed_link(request, procedure, answers)
    code = counter.issue(procedure, answers)
    context = {
        "procedure": procedure,
        "result": outcome,
        "situation": [(reason, None) for reason in _situation(outcome)],
        "produced": timezone.localtime(),
        "link_url": link_url,
        "link_expires": dt.datetime.fromtimestamp(expires, tz=dt.UTC),
        "qr_data_uri": segno.make(link_url, error="m").svg_data_uri(scale=4, border=2),
        "short_code": counter.grouped(code) if code else "",
        "code_url": _public_url(request, reverse("guide:code")),
        "commune": commune.get(),
        "paper": True,  # compact source references; the sources list gives titles and dates
        **_offices_context(outcome),
    }
    try:
        document = pdf.render(context, request)
    except pdf.Busy:
        return _pdf_busy(request)
    response = HttpResponse(document, content_type="application/pdf")
    # The file name says which procedure, never the visitor's situation. *Imprimer* opens the
    # same document in the browser, to print it from there: what is printed is the PDF.
    disposition = "inline" if request.GET.get("imprimer") else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{slug}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


def _pdf_busy(request) -> HttpResponse:
    """The 503 of a PDF request over capacity (the same page for everyone, rendered once)."""
    busy = HttpResponse(
        pdf.busy_page(request.mode, request.LANGUAGE_CODE, request.script_base), status=503
    )
    busy["Retry-After"] = "5"
    busy._has_been_logged = True  # a burst is expected, not an error to log at every request
    return busy


@never_cache  # shows or carries answers: no copy in any cache
@require_GET
def link(request, slug: str, token: str):
    """A printed link (QR code): reopens the result with a fresh wizard token."""
    procedure = _procedure(slug)
    try:
        answers = state.load_link(procedure, token)
        procedure.next_step(answers)
    except (state.BadState, engine.AnswerError) as error:
        return _bad_state(request, procedure, error)
    return redirect(_url("guide:result", procedure, answers))


@require_http_methods(["POST"])
def next_visitor(request):
    """*Visiteur suivant* (and the inactivity timeout): end the visit of the token sent, so that
    none of its addresses opens again, and start over on the counter home."""
    if not request.counter:
        raise Http404("Seulement au guichet")
    visit = state.visit_of(request.POST.get("s", ""))
    if visit:
        counter.end(visit)
    response = redirect("guide:index")
    response.status_code = 303
    response["Cache-Control"] = "no-store"
    return response


CODE_ERRORS = {
    "empty": gettext_lazy("Saisissez le code de 10 caractères écrit sur la fiche."),
    "format": gettext_lazy(
        "Ce code n'a pas la bonne forme : il a 10 caractères, lettres et chiffres, "
        "par exemple 7KQ-2M9-XW3A."
    ),
    "unknown": gettext_lazy(
        "Ce code est inconnu ou a expiré (un code est valable 30 jours). Vérifiez-le, "
        "ou refaites la démarche."
    ),
}


@never_cache
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def code(request):
    """ "J'ai un code": the code read on a PDF or at the counter reopens its result. POST, so
    that a code never sits in an address or a log."""
    if request.method == "GET":
        return _page(request, "guide/code.html", {"error": "", "typed": ""})
    typed = request.POST.get("code", "").strip()[:40]
    try:
        if not typed:
            raise counter.BadCode("empty")
        slug, token = counter.open_code(typed)
        procedure = registry.get(slug)
        if procedure is None:
            raise counter.BadCode("unknown")
        answers = state.load_link(procedure, token)
        outcome = procedure.next_step(answers)
        if isinstance(outcome, engine.Question):
            raise counter.BadCode("unknown")
    except (counter.BadCode, state.BadState, engine.AnswerError) as error:
        reason = error.reason if isinstance(error, counter.BadCode) else "unknown"
        context = {"error": CODE_ERRORS[reason], "typed": typed}
        return _page(request, "guide/code.html", context, status=400)
    target = _url("guide:result", procedure, answers)
    if request.htmx:
        return _result_page(request, procedure, outcome, push_url=target)
    return redirect(target)


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def forbidden(request, exception=None):
    # Nothing here refuses access; this replaces Django's view only for its cookie (see urls.py).
    return _page(request, "404.html", {}, status=403)


def server_error(request):
    # No context processor, no database: the plain page, whatever failed.
    return HttpResponse(
        render_to_string("500.html"), status=500, content_type="text/html; charset=utf-8"
    )


def not_found(request, exception=None):
    """The 404 page; for htmx, its partial, which htmx swaps in like any page (see base.html)."""
    return _page(request, "404.html", {}, status=404)


@require_GET
def sources(request):
    national = [o for o in registry.offices().values() if o.kind in NATIONAL_KINDS]
    run = places.current_run()
    from guide.models import FicheCheck

    context = {
        "procedures": registry.procedures().values(),
        # the fiches' own dates at the last `check_sources`, to say which sources to read again
        "checks": dict(FicheCheck.objects.values_list("fiche", "modified")),
        "national": national,
        "directory_run": run,
        "attribution": places.attribution(run),
    }
    return render(request, "guide/sources.html", context)


@require_GET
def accessibility(request):
    return render(request, "guide/accessibility.html")


@require_GET
def privacy(request):
    return render(request, "guide/privacy.html")


@require_GET
def embed_help(request):
    context = {
        "embed_url": request.build_absolute_uri("/embed/"),
        "counter_url": request.build_absolute_uri("/guichet/"),
        "counter_idle_text": duration(settings.COUNTER_IDLE_SECONDS),
    }
    return render(request, "guide/embed.html", context)


@require_GET
@cache_control(max_age=86400)
def robots(request):
    return HttpResponse(
        "User-agent: *\nDisallow: /demarche/\nDisallow: /r/\n", content_type="text/plain"
    )


@require_GET
@cache_control(max_age=300)
def theme_css(request):
    colours = commune.get()["colours"]
    css = (
        ":root { "
        + " ".join(f"--{name.replace('_', '-')}: {value};" for name, value in colours.items())
        + " }\n"
    )
    return HttpResponse(css, content_type="text/css; charset=utf-8")


@require_GET
def statistics_page(request):
    """The commune's anonymous counts: a table per month and a chart whose transcript it is."""
    months = statistics.months() if statistics.enabled() else []
    # The chart: the last 12 months' totals as bars (the tables below are its transcript).
    shown = list(reversed(months[:12]))
    peak = max((month.total for month in shown), default=0)
    bars = []
    for index, month in enumerate(shown):
        height = round(100 * month.total / peak) if peak else 0
        bars.append({"month": month, "x": index * 60 + 10, "y": 115 - height, "height": height})
    context = {
        "enabled": statistics.enabled(),
        "months": months,
        "bars": bars,
        "chart_width": len(bars) * 60 + 20,
        "channels": statistics.CHANNELS.values(),
        "small": statistics.SMALL,
    }
    return render(request, "guide/statistics.html", context)


@require_GET
def statistics_csv(request):
    if not statistics.enabled():
        raise Http404("Pas de statistiques sur ce site")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="statistiques.csv"'
    csv.writer(response).writerows(statistics.csv_rows())
    return response
