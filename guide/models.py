from django.db import models


class ProcedureQuerySet(models.QuerySet):
    def by_theme(self):
        return self.order_by("theme", "title")


class Procedure(models.Model):
    """A validated procedure; `definition` is the normalised YAML the engine compiles."""

    slug = models.SlugField("identifiant", unique=True)
    title = models.CharField("titre", max_length=200)
    summary = models.CharField("résumé", max_length=500)
    theme = models.CharField("thème", max_length=100, blank=True)
    source_file = models.CharField("fichier", max_length=200)
    content_hash = models.CharField(max_length=64)
    definition = models.JSONField()
    loaded_at = models.DateTimeField("chargée le", auto_now=True)

    objects = ProcedureQuerySet.as_manager()

    class Meta:
        verbose_name = "procédure"

    def __str__(self) -> str:
        return self.title


class Source(models.Model):
    """An official source of a procedure, with the date it was verified."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="sources")
    key = models.CharField(max_length=100)
    title = models.CharField("titre", max_length=300)
    url = models.URLField(blank=True, max_length=500)
    verified = models.DateField("version du")
    read = models.DateField("lue le", null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["procedure", "key"], name="unique_source_key")
        ]

    def __str__(self) -> str:
        return self.title


class ContentState(models.Model):
    """One row: the version of the loaded content and the shared office catalogue.

    Server processes compare `version` with what they compiled, at most every
    few seconds, to pick up a new `load_procedures` without a query per request.
    """

    version = models.CharField(max_length=64)
    offices = models.JSONField(default=dict)
    loaded_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.version


class OfficeKind(models.TextChoices):
    MAIRIE = "mairie", "Mairie"
    PREFECTURE = "prefecture", "Préfecture"
    SOUS_PREFECTURE = "sous_prefecture", "Sous-préfecture"
    TRIBUNAL_JUDICIAIRE = "tribunal_judiciaire", "Tribunal judiciaire"
    COMMISSARIAT = "commissariat", "Commissariat de police"
    GENDARMERIE = "gendarmerie", "Brigade de gendarmerie"


class ImportRun(models.Model):
    """One import of DILA's directory: what the attribution line shows."""

    file_name = models.CharField("fichier", max_length=300)
    file_date = models.DateField("date du fichier", null=True)
    sha256 = models.CharField(max_length=64)
    counts = models.JSONField(default=dict)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return self.file_name


class Office(models.Model):
    """A local public office from DILA's directory, close to its record format."""

    id = models.CharField(primary_key=True, max_length=64)  # DILA's id
    ancien_code_pivot = models.CharField(max_length=100, blank=True)
    kind = models.CharField(max_length=30, choices=OfficeKind.choices)
    dila_types = models.JSONField(default=list)
    name = models.CharField("nom", max_length=300)
    commune_insee = models.CharField(max_length=5, blank=True)
    departement = models.CharField(max_length=3, blank=True)  # from the communes file, not the code
    address = models.CharField("adresse", max_length=300, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    city = models.CharField("ville", max_length=100, blank=True)
    postal_address = models.CharField("adresse postale", max_length=300, blank=True)
    latitude = models.FloatField(null=True)
    longitude = models.FloatField(null=True)
    phones = models.JSONField(default=list)
    emails = models.JSONField(default=list)
    websites = models.JSONField(default=list)
    hours = models.JSONField(default=list)
    url_service_public = models.URLField(max_length=300, blank=True)
    source_modified = models.DateTimeField(null=True)
    import_run = models.ForeignKey(ImportRun, on_delete=models.PROTECT, related_name="offices")

    class Meta:
        indexes = [models.Index(fields=["departement", "kind"])]

    def __str__(self) -> str:
        return self.name


class Competence(models.Model):
    """Which office of a kind serves a commune (DILA's per-commune files)."""

    commune_insee = models.CharField(max_length=5)
    kind = models.CharField(max_length=30, choices=OfficeKind.choices)
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="competences")
    rank = models.PositiveSmallIntegerField(default=0)  # order of the commune file

    class Meta:
        indexes = [models.Index(fields=["commune_insee", "kind"])]
        constraints = [
            models.UniqueConstraint(
                fields=["commune_insee", "kind", "office"], name="unique_competence"
            )
        ]

    def __str__(self) -> str:
        return f"{self.commune_insee} {self.kind} → {self.office_id}"


class FicheCheck(models.Model):
    """The last freshness check of one service-public.gouv.fr fiche (`check_sources`): its own
    modification date then. A source older than it is shown "à relire" on /sources/."""

    fiche = models.CharField(max_length=20, unique=True)  # F21032
    modified = models.DateField("modifiée le", null=True)  # None: the fiche was not found
    checked_at = models.DateTimeField("vérifiée le", auto_now=True)

    def __str__(self) -> str:
        return self.fiche


class ResultCount(models.Model):
    """Anonymous statistics, when the commune file asks for them (`"statistics": true`): how
    many results were reached per day, procedure, outcome and channel. Nothing else: no time of
    day, no answer but the outcome, no commune, no address (README, privacy page)."""

    day = models.DateField("jour")
    procedure = models.CharField("démarche", max_length=100)
    outcome = models.CharField("issue", max_length=100)
    channel = models.CharField("canal", max_length=10)  # site, embed, counter
    count = models.PositiveIntegerField("nombre", default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "procedure", "outcome", "channel"], name="unique_result_count"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.procedure} {self.outcome} {self.channel}: {self.count}"


class EndedVisit(models.Model):
    """A counter visit that *Visiteur suivant* or the inactivity timeout ended: its tokens are
    refused from then on. Only a random id, kept as long as a counter token lives (30 minutes by
    default); nothing about the visitor or the answers (guide/counter.py, privacy page)."""

    visit = models.CharField("visite", max_length=32, primary_key=True)
    until = models.DateTimeField("gardée jusqu'au", db_index=True)

    def __str__(self) -> str:
        return f"visite terminée, gardée jusqu'au {self.until:%Y-%m-%d %H:%M}"


class ShortCode(models.Model):
    """The record a short code ("7KQ-2M9-XW3A") reopens: the printed link's token, encrypted with
    the server's key, and the day it expires. The code itself is kept only as its SHA-256, so the
    table alone opens nothing; no name, no address, no time of day (guide/counter.py)."""

    digest = models.CharField(max_length=64, primary_key=True)
    sealed = models.TextField()
    expires = models.DateField("expire le", db_index=True)

    def __str__(self) -> str:
        return f"code court, expire le {self.expires}"
