import shutil
from pathlib import Path

import pytest
from django.conf import settings

from guide import places, registry, samples, statistics
from guide.loader import read_directory

DATA = Path(__file__).parent / "data"
GOOD = DATA / "good"  # demo.yaml: the smallest procedure using every part of the format
# One broken procedure per file, header "# attendu : <reason>", "# <- ici" on the line.
BAD = DATA / "bad"
# A residence permit lost in France, a 1-year card given as a protection: the sensitive answer.
PROTECTED_CARD = {
    "evenement": "perdu",
    "statut": "autre",
    "lieu": "france",
    "carte": "un_an",
    "protection": "oui",
}

# Answer sets shared with the benchmarks and scripts (re-exported for the tests).
BEFORE_COMMUNE = samples.BEFORE_COMMUNE
STOLEN_IN_CAVAILLON = samples.STOLEN_IN_CAVAILLON


@pytest.fixture(autouse=True)
def _fresh_registry():
    """Each test starts with no compiled content, since the database is rolled back, and no
    statistics waiting in memory (written by the tests themselves: no background thread)."""
    registry.clear()
    places.clear()
    statistics.BACKGROUND = False
    statistics._pending.clear()
    yield
    registry.clear()
    places.clear()
    statistics._pending.clear()


@pytest.fixture
def content_dir(tmp_path) -> Path:
    """A writable copy of the good test content."""
    target = tmp_path / "procedures"
    shutil.copytree(GOOD, target)
    return target


@pytest.fixture
def demo():
    """The demo procedure, compiled, without the database."""
    return read_directory(GOOD).compile()["demo"]


@pytest.fixture(scope="session")
def real_content():
    """The real procedures of the repository, validated once, without the database (read-only)."""
    content = read_directory(settings.PROCEDURES_DIR)
    assert not content.problems, content.problems
    return content


@pytest.fixture(scope="session")
def compiled(real_content):
    """The real procedures compiled by the engine, by slug."""
    return real_content.compile()


@pytest.fixture
def loaded(db, settings):
    """The real procedures loaded into the test database."""
    from guide.loader import load_into_database

    load_into_database(settings.PROCEDURES_DIR)


@pytest.fixture
def permit(compiled):
    return compiled["titre-sejour-perdu-vole"]
