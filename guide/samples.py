"""Answer sets of the real procedures, named for what they show: shared by the tests, the
benchmarks and the screenshots script, so that a change of questions is made in one place."""

# A residence permit stolen in France, a 1-year card with a general mention: the next question is
# the commune; STOLEN_IN_CAVAILLON answers it (Cavaillon, 84035, a commune of the demo).
BEFORE_COMMUNE = {
    "evenement": "vole",
    "statut": "autre",
    "lieu": "france",
    "carte": "un_an",
    "protection": "non",
    "mention_un_an": "general",
}
STOLEN_IN_CAVAILLON = {**BEFORE_COMMUNE, "commune": "84035"}
