from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from guide.annuaire import import_files


class Command(BaseCommand):
    help = (
        "Import DILA's local directory export (…-data.gouv_local.json) and, with --communes, its "
        "per-commune competence zip (…-data.gouv_commune.zip). One transaction; re-running with the "
        "same files changes nothing; offices that left the file are removed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, required=True, help="…-data.gouv_local.json")
        parser.add_argument("--communes", type=Path, help="…-data.gouv_commune.zip")

    def handle(self, *args, file: Path, communes: Path | None, **options):
        for path in filter(None, (file, communes)):
            if not path.exists():
                raise CommandError(f"Fichier introuvable : {path}")
        try:
            counts = import_files(file, communes)
        except (ValueError, KeyError) as exc:
            raise CommandError(
                f"{file.name} : fichier illisible ({exc}) ; rien n'a été importé."
            ) from exc
        kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(counts["by_kind"].items()))
        self.stdout.write(
            f"{counts['records']} fiches lues, {counts['offices']} services importés ({kinds}), "
            f"{counts['removed']} retirés, {counts['competences']} compétences."
        )
