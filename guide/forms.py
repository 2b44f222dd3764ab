from django import forms

from guide import engine


class AnswerForm(forms.Form):
    """One question: a radio choice among its options, plus the encrypted state."""

    s = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, question: engine.Question, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.question = question
        self.fields["answer"] = forms.ChoiceField(
            label=question.text,
            help_text=question.hint,
            choices=[(option.id, option.label) for option in question.options],
            widget=forms.RadioSelect,
            error_messages={"required": "Choisissez une réponse pour continuer."},
        )
