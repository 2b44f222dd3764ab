"""System checks: problems with the loaded content, seen at start-up and by `manage.py check`."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.db import DatabaseError


@register(Tags.database, deploy=True)
def content_check(app_configs=None, databases=None, **kwargs):
    from guide.loader import read_directory
    from guide.models import ContentState, Procedure

    if not databases:
        return []
    try:
        loaded = ContentState.objects.filter(pk=1).values_list("version", flat=True).first()
        count = Procedure.objects.count()
    except DatabaseError:
        return []  # not migrated yet: migrate says so
    if not count:
        return [
            Warning(
                "Aucune démarche n'est chargée.",
                hint="Lancez : python manage.py load_procedures",
                id="guide.W001",
            )
        ]
    content = read_directory(settings.PROCEDURES_DIR)
    if not content.problems and content.version != loaded:
        return [
            Warning(
                "Les démarches chargées diffèrent des fichiers YAML.",
                hint="Lancez : python manage.py load_procedures",
                id="guide.W002",
            )
        ]
    return []


@register(Tags.database)
def directory_age_check(app_configs=None, databases=None, **kwargs):
    """The offices' addresses age too: warn when the last directory import is too old."""
    from django.utils import timezone

    from guide.models import ImportRun

    if not databases:
        return []
    try:
        run = ImportRun.objects.filter(finished_at__isnull=False).order_by("-id").first()
    except DatabaseError:
        return []
    if run is None:
        return []  # no directory: results say so and link to the official one
    age = (timezone.now() - run.finished_at).days
    if age <= settings.ANNUAIRE_MAX_AGE_DAYS:
        return []
    return [
        Warning(
            f"L'annuaire importé ({run.file_name}) date de {age} jours "
            f"(plus de {settings.ANNUAIRE_MAX_AGE_DAYS}).",
            hint="DILA le publie chaque jour ouvré : relancez import_annuaire "
            "(README, « Mettre en service », le minuteur quotidien).",
            id="guide.W007",
        )
    ]


@register(Tags.compatibility)
def local_offices_check(app_configs=None, **kwargs):
    """The commune file's own offices, refused at start with every problem named."""
    from guide.commune import get

    return [
        Error(
            f"Fichier de la commune ({settings.COMMUNE_FILE}) : {problem}.",
            hint="Voir le README, « Des services que la commune connaît mieux ».",
            id="guide.E001",
        )
        for problem in get()["local_office_problems"]
    ]


@register(Tags.compatibility)
def commune_check(app_configs=None, **kwargs):
    from guide.commune import contrast_ratio, get

    colours = get()["colours"]
    ratio = contrast_ratio(colours["accent"], colours["accent_text"])
    warnings = []
    if ratio < 4.5:
        warnings.append(
            Warning(
                f"Les couleurs de la commune ont un contraste de {ratio:.1f}:1 (il faut au moins 4,5:1).",
                hint="Changez colours.accent ou colours.accent_text dans le fichier de la commune.",
                id="guide.W003",
            )
        )
    if contrast_ratio(colours["accent"], "#ffffff") < 4.5:
        warnings.append(
            Warning(
                "La couleur principale n'est pas assez contrastée sur fond blanc pour les liens (4,5:1).",
                id="guide.W004",
            )
        )
    for link in get()["unsafe_links"]:
        warnings.append(
            Warning(
                f"Lien de pied de page ignoré : {link.get('url')!r} (https:, mailto: ou tel: seulement).",
                id="guide.W006",
            )
        )
    if contrast_ratio(colours["focus"], FOCUS_RING) < 9:
        warnings.append(
            Warning(
                "La couleur de focus ne contraste pas assez avec l'anneau sombre qui l'entoure "
                f"({contrast_ratio(colours['focus'], FOCUS_RING):.1f}:1, il faut 9:1).",
                hint="Choisissez une couleur claire pour colours.focus, par exemple #ffbf47 ou #ffdd00.",
                id="guide.W005",
            )
        )
    return warnings


# The dark outer ring of the focus style (--focus-ring in site.css): with a light inner ring
# contrasting 9:1 with it, one of the two contrasts 3:1 with any background (WCAG technique C40).
FOCUS_RING = "#0b0c0c"
