from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from guide import registry
from guide.loader import ContentError, load_into_database


class Command(BaseCommand):
    help = (
        "Validate every YAML procedure, then replace the loaded content in one transaction. "
        "If any file has a problem, nothing changes. Re-running with the same files changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, default=settings.PROCEDURES_DIR)

    def handle(self, *args, dir: Path, **options):
        try:
            counts = load_into_database(dir)
        except ContentError as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(exc.problems)} problème(s) : rien n'a été chargé.") from exc
        registry.clear()
        self.stdout.write(
            "Démarches : {created} créée(s), {updated} mise(s) à jour, "
            "{unchanged} inchangée(s), {deleted} supprimée(s).".format(**counts)
        )
