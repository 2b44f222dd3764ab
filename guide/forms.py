import functools

from django import forms
from django.utils.translation import gettext as _

from guide import commune, communes, engine

MAX_CHOICES = 15


def home_places() -> frozenset[str]:
    """The régions ("r93") and départements ("d84") of the communes the deployment serves."""
    served = tuple(commune.get()["communes"])
    return _home_places(served)


@functools.lru_cache(maxsize=8)
def _home_places(served: tuple[str, ...]) -> frozenset[str]:
    directory = communes.directory()
    places = set()
    for key in served:
        found = directory.get(key)
        if found is not None:
            places |= {f"r{found.region}", f"d{found.departement}"}
    return frozenset(places)


def ordered_options(question: engine.Question) -> list[engine.Option]:
    """A question's options, the deployment's own région or département first (its `place`),
    the others in the order of the file."""
    home = home_places()
    return sorted(question.options, key=lambda option: option.place not in home)


class AnswerForm(forms.Form):
    """One question: a radio choice among its options."""

    def __init__(self, question: engine.Question, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.question = question
        self.fields["answer"] = forms.ChoiceField(
            label=question.text,
            choices=[(option.id, option.label) for option in question.options],
            error_messages={
                "required": _("Choisissez une réponse pour continuer."),
                "invalid_choice": _(
                    "Cette réponse n'existe pas : choisissez une des réponses proposées."
                ),
            },
        )

    def error_target(self) -> str:
        """The id of the field an error message links to: the first option shown."""
        return f"reponse-{ordered_options(self.question)[0].id}"


class CommuneForm(forms.Form):
    """A "Votre commune" question: a commune of the deployment, or a postcode or name typed in.

    Without JavaScript, a typed text that matches one commune answers the question; several
    matches come back as a choice (`choices`, with `ambiguous` set); none, as an error that keeps
    the typed text. With JavaScript, a suggestion picked from the list travels in `picked` (its
    key) alongside its label in `q`.
    """

    answer = forms.CharField(required=False, max_length=30)
    q = forms.CharField(required=False, max_length=100, strip=True)
    picked = forms.CharField(required=False, max_length=30)

    def __init__(self, question: engine.Question, served: list[str], *args, **kwargs):
        initial = kwargs.get("initial") or {}
        if len(served) == 1 and not initial.get("answer"):
            kwargs["initial"] = {"answer": served[0]}  # a commune's own guide: chosen already
        super().__init__(*args, **kwargs)
        self.question = question
        directory = communes.directory()
        self.ambiguous = False
        self.choices = sorted(
            ((c.key, directory.label(c)) for c in filter(None, map(directory.get, served))),
            key=lambda choice: communes.fold(choice[1]),
        )
        current = directory.get(initial.get("answer") or "")
        if current is not None and all(key != current.key for key, _ in self.choices):
            self.choices.insert(0, (current.key, directory.label(current)))  # changing it

    def error_target(self) -> str:
        """The id of the field an error message links to: the first commune offered, or the text
        field when none is offered or the typed text found nothing (it keeps that text)."""
        if self.choices and not self.data.get("q"):
            return f"commune-{self.choices[0][0]}"
        return "commune-q"

    def clean(self):
        directory = communes.directory()
        data = self.cleaned_data
        picked, typed, chosen = data.get("picked", ""), data.get("q", ""), data.get("answer", "")
        commune = directory.get(picked) if picked else None
        if commune is not None and typed == directory.label(commune):
            return {"answer": commune.key}
        if typed:
            matches = directory.search(typed, limit=MAX_CHOICES)
            if len(matches) == 1:
                return {"answer": matches[0].key}
            if not matches:
                raise forms.ValidationError(
                    _(
                        "Aucune commune ne correspond à « %(typed)s ». Vérifiez le code "
                        "postal (5 chiffres) ou le nom, ou choisissez dans la liste."
                    )
                    % {"typed": typed}
                )
            self.ambiguous = True
            self.choices = [(c.key, directory.label(c)) for c in matches]
            self.data = self.data.copy()
            self.data["q"] = ""  # the choice now answers; a new text would start a new search
            raise forms.ValidationError(
                _("Plusieurs communes correspondent à « %(typed)s » : choisissez la vôtre.")
                % {"typed": typed}
            )
        if chosen and directory.get(chosen) is not None:
            return {"answer": chosen}
        raise forms.ValidationError(
            _("Choisissez votre commune, ou tapez son code postal ou son nom.")
        )
