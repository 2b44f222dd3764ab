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
    verified = models.DateField("vérifiée le")

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
