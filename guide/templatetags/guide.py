"""A result line (text, detail, why, source), rendered in Python: a result has a few dozen lines,
and an {% include %} per line cost about half of the result page's time."""

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
SOURCE = french(' <span class="source">Source : {}, vérifié le {}</span>')


@register.simple_tag(takes_context=True)
def line(context, line, hide_text: bool = False) -> SafeString:
    """What templates/guide/line.html said: the line's text (unless hidden), its detail, and on
    screen why it applies and its source with its date; on paper, the source's id only."""
    item = line.item
    parts = [] if hide_text else [format_html("{}", item.text)]
    if item.detail:
        parts.append(format_html(' <span class="detail">{}</span>', item.detail))
    if context.get("paper"):
        parts.append(format_html(' <span class="source">[{}]</span>', item.source.id))
        return mark_safe("".join(parts))
    if line.because:
        separator = french(" ; ")
        answers = format_html_join(
            separator, "{}", ((r.option.label.lower(),) for r in line.because)
        )
        parts.append(format_html(BECAUSE, answers))
    parts.append(format_html(SOURCE, item.source.id, format_date(item.source.verified, "j/m/Y")))
    return mark_safe("".join(parts))


OPTION = (
    '<div class="option"><input type="radio" name="answer" value="{id}" id="reponse-{id}"{checked}'
    '{described}><label for="reponse-{id}">{label}</label>{hint}</div>'
)


@register.simple_tag
def options(question, checked) -> SafeString:
    """A question's radio buttons, each with its hint (what an {% for %} in step.html did, in
    Python: it was a third of a question page's time)."""
    html = []
    for option in question.options:
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
