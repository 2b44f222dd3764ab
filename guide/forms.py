from django import forms

from guide import engine


class AnswerForm(forms.Form):
    """One question: a radio choice among its options."""

    def __init__(self, question: engine.Question, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.question = question
        self.fields["answer"] = forms.ChoiceField(
            label=question.text,
            choices=[(option.id, option.label) for option in question.options],
            error_messages={
                "required": "Choisissez une réponse pour continuer.",
                "invalid_choice": "Cette réponse n'existe pas : choisissez une des réponses proposées.",
            },
        )
