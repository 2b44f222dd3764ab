from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from guide import translations
from guide.loader import read_directory


class Command(BaseCommand):
    help = (
        "Validate every YAML procedure and walk every path, without touching the database. "
        "Exits non-zero on any problem."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, default=settings.PROCEDURES_DIR)

    def handle(self, *args, dir: Path, **options):
        content = read_directory(dir)
        for problem in content.problems:
            self.stderr.write(str(problem))
        if content.problems:
            raise CommandError(f"{len(content.problems)} problème(s).")
        compiled = content.compile()
        for slug, procedure in compiled.items():
            self.stdout.write(
                f"{slug}: {len(procedure.questions)} questions, {content.path_counts[slug]} parcours, "
                f"{len(procedure.outcomes)} issues, {len(procedure.items)} éléments"
            )
        self.stdout.write(
            f"{len(compiled)} démarches, "
            f"{sum(len(p.questions) for p in compiled.values())} questions, "
            f"{sum(content.path_counts.values())} parcours, "
            f"{sum(len(p.outcomes) for p in compiled.values())} issues, "
            f"{sum(1 for p in compiled.values() for i in p.items if not i.source)} élément(s) sans source."
        )
        self._translations(content)

    def _translations(self, content):
        """Per language: texts translated, stale (French changed since, with their line) and
        missing; both are shown in French on the site, marked lang="fr"."""
        offered = {code for code, _ in settings.LANGUAGES}
        for language, reports in sorted(content.translation_reports.items()):
            french = {**content.procedures, "_offices": content.offices}
            total = sum(len(list(translations.leaves(d))) for d in french.values())
            translated = sum(r.translated for r in reports.values())
            stale = [(slug, path, line) for slug, r in reports.items() for path, line in r.stale]
            untranslated = {slug for slug in french if slug not in reports}
            missing = sum(len(r.missing) for r in reports.values()) + sum(
                len(list(translations.leaves(french[slug]))) for slug in untranslated
            )
            for slug, path, line in stale:
                self.stdout.write(
                    f"{translations.DIRECTORY}/{language}/{slug}.yaml:{line}: à revoir, le "
                    f"français a changé ({'.'.join(map(str, path))})"
                )
            self.stdout.write(
                f"{language}{'' if language in offered else ' (non proposée)'} : "
                f"{translated} textes traduits sur {total}, {len(stale)} à revoir, "
                f"{missing} manquant(s) (affichés en français)"
            )
