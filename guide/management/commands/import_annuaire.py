import tarfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from guide.annuaire import import_archive, import_files
from guide.models import ImportRun


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
        parser.add_argument(
            "--demo",
            action="store_true",
            help="for `make run`: import only when nothing was imported yet, or when the last "
            "import was this same file (never replaces a real directory with the demo extract)",
        )

    def handle(self, *args, file: Path, communes: Path | None, demo: bool = False, **options):
        for path in filter(None, (file, communes)):
            if not path.exists():
                raise CommandError(f"Fichier introuvable : {path}")
        if demo:
            last = ImportRun.objects.filter(finished_at__isnull=False).order_by("-id").first()
            if last is not None and last.file_name != file.name:
                self.stdout.write(
                    f"Annuaire : {last.file_name} déjà importé ; l'extrait de démonstration "
                    "n'est pas importé."
                )
                return
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
