from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

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
