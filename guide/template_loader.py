"""Templates with French typography: the text between template tags goes through
typography.french when Django loads a template (once per process, with the cached loader)."""

from django.template.base import tag_re
from django.template.loaders import filesystem

from guide import typography


def typeset(source: str) -> str:
    """French no-break spaces in a template's text, leaving its tags and variables alone."""
    parts = tag_re.split(source)  # text, tag, text, tag…
    parts[::2] = [typography.french(text) for text in parts[::2]]
    return "".join(parts)


class Loader(filesystem.Loader):
    def get_contents(self, origin):
        return typeset(super().get_contents(origin))
