from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from guide import translations
from guide.loader import parse_yaml, read_directory


class Command(BaseCommand):
    help = (
        "Write the translation file of a procedure (or _offices) for a language: every French "
        "text with its fingerprint, existing translations kept, stale ones flagged."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("language")
        parser.add_argument("slug", help="a procedure's slug, or _offices")
        parser.add_argument("--dir", type=Path, default=settings.PROCEDURES_DIR)
        parser.add_argument("--print", dest="show", action="store_true", help="print, do not write")

    def handle(self, *args, language, slug, dir: Path, show: bool, **options):
        content = read_directory(dir)
        french = content.offices if slug == "_offices" else content.procedures.get(slug)
        if french is None:
            raise CommandError(f"démarche inconnue ou invalide : {slug}")
        french = {k: v for k, v in french.items() if k != "translations"}
        path = dir / translations.DIRECTORY / language / f"{slug}.yaml"
        tree = None
        if path.exists():
            data, problems = parse_yaml(path.read_text(encoding="utf-8"), path.name)
            if problems:
                raise CommandError("\n".join(map(str, problems)))
            tree = data
        text = translations.template(french, language, tree)
        if show:
            self.stdout.write(text, ending="")
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.stdout.write(f"{path} écrit.")
