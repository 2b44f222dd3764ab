from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from guide.loader import read_directory
from guide.snapshot import write_all


class Command(BaseCommand):
    help = (
        "Write tests/snapshots/<slug>.yaml: every path of every procedure and its result, as ids."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, default=settings.PROCEDURES_DIR)
        parser.add_argument("--out", type=Path, default=settings.BASE_DIR / "tests" / "snapshots")

    def handle(self, *args, dir: Path, out: Path, **options):
        content = read_directory(dir)
        if content.problems:
            raise CommandError("\n".join(str(p) for p in content.problems))
        written = write_all(content.compile(), out)
        self.stdout.write(f"{len(written)} instantané(s) écrit(s) dans {out}.")
