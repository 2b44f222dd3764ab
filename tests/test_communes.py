"""The offline communes file (fixtures/communes.csv.gz) and its search."""

import pytest

from guide import communes


@pytest.fixture(scope="module")
def directory():
    return communes.directory()


def names(found):
    return [c.name for c in found]


def test_every_commune_is_there(directory):
    by_type = {}
    for commune in directory.communes:
        by_type[commune.type] = by_type.get(commune.type, 0) + 1
    assert by_type == {"actuelle": 34969, "deleguee": 2105, "associee": 471, "arrondissement": 45}


def test_departement_codes_come_from_the_data(directory):
    assert directory.get("2A004").departement == "2A"  # Ajaccio: not "20"
    assert directory.get("2B033").departement == "2B"  # Bastia
    assert directory.get("97411").departement == "974"  # Saint-Denis de La Réunion: not "97"
    assert directory.get("97611").departement == "976"  # Mamoudzou
    assert directory.departements["2A"] == "Corse-du-Sud"


def test_a_postcode_finds_its_commune(directory):
    assert names(directory.search("84200")) == ["Carpentras"]


def test_one_postcode_can_cover_several_communes(directory):
    found = names(directory.search("84210"))
    assert len(found) == 6
    assert {"Pernes-les-Fontaines", "Althen-des-Paluds"} <= set(found)


def test_paris_postcodes_find_the_arrondissement(directory):
    found = directory.search("75001")
    assert "Paris 1er Arrondissement" in names(found)
    arrondissement = next(c for c in found if c.type == "arrondissement")
    assert directory.parent_of(arrondissement).name == "Paris"


def test_a_delegated_commune_names_its_commune_nouvelle(directory):
    (arbignieu,) = directory.search("Arbignieu")
    assert arbignieu.type == "deleguee"
    assert (
        directory.label(arbignieu)
        == "Arbignieu (commune déléguée de Arboys en Bugey – 01300 – Ain)"
    )


def test_names_match_without_accents_hyphens_or_case(directory):
    assert names(directory.search("isle sur la sorgue")) == ["L'Isle-sur-la-Sorgue"]
    assert names(directory.search("PERNES les fontaines")) == ["Pernes-les-Fontaines"]


def test_exact_name_comes_first(directory):
    assert names(directory.search("Carpentras"))[0] == "Carpentras"
    assert names(directory.search("Marseille 1"))[0] == "Marseille 1er Arrondissement"


def test_overseas_postcodes(directory):
    assert directory.search("97400")[0].departement == "974"


@pytest.mark.parametrize("query", ["", "a", "zzzz", "00000", "   "])
def test_nothing_found_is_an_empty_list_not_an_error(directory, query):
    assert directory.search(query) == []


def test_search_is_bounded(directory):
    assert len(directory.search("saint")) == 15
