import tarfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from guide.annuaire import import_archive, import_files


class Command(BaseCommand):
    help = (
        "Import DILA's directory: the archive as published (all_latest.tar.bz2), or its local export "
        "(…-data.gouv_local.json) with, in --communes, its per-commune competence zip "
        "(…-data.gouv_commune.zip). One transaction; re-running with the same files changes "
        "nothing; offices that left the file are removed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--file", type=Path, required=True, help="all_latest.tar.bz2 or …-data.gouv_local.json"
        )
        parser.add_argument("--communes", type=Path, help="…-data.gouv_commune.zip")

    def handle(self, *args, file: Path, communes: Path | None, **options):
        for path in filter(None, (file, communes)):
            if not path.exists():
                raise CommandError(f"Fichier introuvable : {path}")
        try:
            if file.name.endswith((".tar.bz2", ".tbz2")):
                counts = import_archive(file)
            else:
                counts = import_files(file, communes)
        except (ValueError, KeyError, tarfile.TarError, EOFError, OSError) as exc:
            raise CommandError(
                f"{file.name} : fichier illisible ({exc}) ; rien n'a été importé."
            ) from exc
        kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(counts["by_kind"].items()))
        self.stdout.write(
            f"{counts['records']} fiches lues, {counts['offices']} services importés ({kinds}), "
            f"{counts['removed']} retirés, {counts['competences']} compétences."
        )
