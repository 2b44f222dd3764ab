"""A result line (text, detail, why, source), rendered in Python: a result has a few dozen lines,
and an {% include %} per line cost about half of the result page's time."""

from django import template
from django.utils.dateformat import format as format_date
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

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
