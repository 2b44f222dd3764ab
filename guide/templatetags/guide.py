"""Template tags rendered in Python where a template loop cost too much: a result line, a
question's options, and the parts of a page that are the same for every visitor."""

import functools

from django import template
from django.urls import get_script_prefix
from django.utils.dateformat import format as format_date
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from guide import commune
from guide.typography import french

register = template.Library()

BECAUSE = french(' <span class="because">(parce que vous avez répondu : {})</span>')
SEPARATOR = french(" ; ")
QUOTED = french("« {} » : {}")  # the question, then the answer: "… : oui" alone said nothing
SOURCE = french(' <span class="source">Source : {}, version du {}</span>')
REFERENCE = ' <a class="ref" href="#source-{0}" aria-label="Source {0}">[{0}]</a>'


@register.simple_tag(takes_context=True)
def line(context, line, hide_text: bool = False) -> SafeString:
    """A result line: its text (unless hidden), its detail and the link it needs, then its
    source as a short reference ("[2]", to the numbered list of sources at the end). In the
    detailed view (`detail` in the context: for an agent), also why it applies and its source
    in full, as the public page once showed them."""
    item = line.item
    parts = [] if hide_text else [escape(item.text)]
    if item.detail:
        parts.append(f' <span class="detail">{escape(item.detail)}</span>')
    if item.link:
        parts.append(
            f' <a class="line-link" href="{escape(item.link)}">{escape(item.link_label)}</a>'
        )
    result = context.get("result")
    if result is not None:
        parts.append(source_ref(result, item.source))
    if context.get("detail"):
        if line.because:
            answers = format_html_join(
                SEPARATOR, QUOTED, ((r.question.text, r.option.label) for r in line.because)
            )
            parts.append(format_html(BECAUSE, answers))
        parts.append(
            format_html(SOURCE, item.source.title, format_date(item.source.verified, "j F Y"))
        )
    return mark_safe("".join(parts))


OPTION = (
    '<div class="option"><input type="radio" name="answer" value="{id}" id="reponse-{id}"{checked}'
    '{described}><label for="reponse-{id}">{label}</label>{hint}</div>'
)


@register.simple_tag
def options(question, checked) -> SafeString:
    """A question's radio buttons, each with its hint (what an {% for %} in step.html did, in
    Python: it was a third of a question page's time)."""
    from guide.forms import ordered_options

    html = []
    for option in ordered_options(question):
        id_ = escape(option.id)
        html.append(
            OPTION.format(
                id=id_,
                label=escape(option.label),
                checked=" checked" if checked == option.id else "",
                described=f' aria-describedby="aide-reponse-{id_}"' if option.hint else "",
                hint=f'<p class="hint" id="aide-reponse-{id_}">{escape(option.hint)}</p>'
                if option.hint
                else "",
            )
        )
    return mark_safe(f'<div class="options">{"".join(html)}</div>')


class MemoNode(template.Node):
    """{% memo var… %}…{% endmemo %}: rendered once per process for each value of the listed
    variables (and of the script prefix, which the embed mode changes), then reused. Only for what
    depends on the deployment (the commune, the mode), never on the visitor: the page's header,
    footer and <head> are the same for everyone and cost about half of a question page."""

    def __init__(self, nodelist, variables):
        self.nodelist = nodelist
        self.variables = variables
        self.rendered: dict = {}
        self.commune = None

    def render(self, context):
        current = commune.get()
        if current is not self.commune:  # a test, or a reload, changed the commune
            self.rendered, self.commune = {}, current
        key = (get_script_prefix(), *(v.resolve(context) for v in self.variables))
        html = self.rendered.get(key)
        if html is None:
            html = self.rendered[key] = self.nodelist.render(context)
        return html


@register.tag
def memo(parser, token):
    variables = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    nodelist = parser.parse(("endmemo",))
    parser.delete_first_token()
    return MemoNode(nodelist, variables)


@register.simple_tag
def source_ref(result, source) -> SafeString:
    """ "[2]": the number of a source on this result, linking to it in the list of sources."""
    return mark_safe(REFERENCE.format(result.source_number(source)))


@register.filter
def section(result, section_id: str):
    """A result's lines of one section (`result|section:"steps"`)."""
    return result.section(section_id)


@register.filter
def euros(amount) -> str:
    """An amount as the page's language writes it: "25,00 €", "€25.00", "25.00 €" (Arabic)."""
    from django.utils import formats, translation

    number = formats.number_format(amount, 2, use_l10n=True)
    if translation.get_language() == "en":
        return f"€{number}"
    return f"{number}\u00a0€"


@register.filter
def plain(text: str) -> str:
    """The text alone, for a <title> or an attribute: a French fallback in a translated page
    otherwise renders itself inside <span lang="fr"> (guide/translations.py)."""
    return str(text)


@register.filter
def lower_first(text: str) -> str:
    """ "En timbres fiscaux." → "en timbres fiscaux.", to follow a colon."""
    return text[:1].lower() + text[1:]


@register.filter
def source_dates(source) -> str:
    """A source's two dates, which are two different facts: the version we read (the fiche's own
    date) and the day we read it; an undated page has only the second."""
    from django.utils import translation

    return _dates(source.verified, source.read, translation.get_language())


@functools.lru_cache(maxsize=1024)  # a few dozen sources, per language
def _dates(verified, read, language) -> str:
    from django.utils.translation import gettext as _

    read = read or verified
    if verified >= read:
        return _("page non datée, lue le %(read)s") % {"read": format_date(read, "j F Y")}
    return _("version du %(verified)s ; lue le %(read)s") % {
        "verified": format_date(verified, "j F Y"),
        "read": format_date(read, "j F Y"),
    }


@register.simple_tag
def newer_fiche(source, checks: dict):
    """The date of the fiche a source cites when the last check found it modified after the
    version we read (then the source is "à relire"), else None."""
    from guide.freshness import fiche_of

    modified = checks.get(fiche_of(source) or "")
    return modified if modified and modified > source.verified else None
