"""Search and filters on the public list, on SQLite (FTS5 + Snowball stems) and PostgreSQL (Dutch tsvector)."""

import pytest
from django.urls import reverse

from doorbraak.demo.initiatives import load
from doorbraak.initiatives import selectors
from doorbraak.initiatives.models import Initiative
from doorbraak.initiatives.stemming import prefix_variants, query_stems, stem

from .factories import InitiativeFactory

pytestmark = pytest.mark.django_db


# Snowball's Dutch stems (the same as PostgreSQL's `dutch` lexemes): "wonen" and "woon" meet; "woning" and
# "woont" stay apart (PostgreSQL agrees), and the query's prefixes join the family (won*, woon*).
@pytest.mark.parametrize(
    ("word", "expected"),
    [("wonen", "won"), ("Woon", "won"), ("woning", "woning"), ("woningen", "woning"), ("woont", "woont")],
)
def test_stemmer_is_snowball_dutch(word, expected):
    assert stem(word) == expected


@pytest.mark.parametrize("word", ["wonen", "woning", "woont", "woningen", "Woon"])
def test_query_prefixes_join_the_forms_of_wonen(word):
    assert set(prefix_variants(stem(word))) == {"won", "woon"}


def test_stemmer_keeps_words_ending_in_s_intact():
    # PostgreSQL agrees: huis -> huis, huizen -> huiz (no z -> s in Snowball); the prefixes join them.
    assert stem("huis") == "huis" and stem("huizen") == "huiz"
    assert "huis" in prefix_variants(stem("huizen"))
    assert stem("crisis") == "crisis"
    assert query_stems("Wonen, wonen én school!") == ["won", "schol"]  # én is a stopword


STEM_WORDS = (
    "wonen woning woont woningen woon huis huizen crisis school scholen bibliotheek bibliotheken onderwijs autisme "
    "rust buren woonproject leven leeft jongeren ouderen gezinnen thuiszitters één informatie mantelzorgers "
    "schuldhulpverlening opvoeding gemeenten"
).split()


def test_stems_are_the_lexemes_of_postgresql_dutch():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("compares with PostgreSQL's to_tsvector('dutch', ...)")
    with connection.cursor() as cursor:
        for word in STEM_WORDS:
            cursor.execute("select array_to_string(tsvector_to_array(to_tsvector('dutch', %s)), ',')", [word])
            assert stem(word) == cursor.fetchone()[0], word


def _names(**filters):
    return [i.name for i in selectors.filter_initiatives(selectors.Filters(**filters))]


@pytest.mark.parametrize("query", ["wonen", "woning", "woont"])
def test_search_finds_other_forms_of_the_word(query):
    InitiativeFactory(name="Thuis in de wijk", summary="Een woning voor iedereen.")
    InitiativeFactory(name="Samen wonen", summary="Jongeren wonen samen.")
    InitiativeFactory(name="Buurtkamer", summary="Iemand woont alleen en zoekt contact.")
    InitiativeFactory(name="Schoolhulp", summary="Hulp bij leren op school.")
    assert sorted(_names(q=query)) == ["Buurtkamer", "Samen wonen", "Thuis in de wijk"]


def test_search_needs_all_words_and_ranks_name_first():
    InitiativeFactory(name="Rust in crisis", summary="Tijd om te ademen.")
    InitiativeFactory(name="Andere aanpak", summary="Bij een crisis komt er rust in het gezin.")
    InitiativeFactory(name="Crisisdienst", summary="Snel hulp.")
    names = _names(q="rust crisis")
    assert set(names) == {"Rust in crisis", "Andere aanpak"}


def test_search_ignores_drafts_and_punctuation_only_queries():
    InitiativeFactory(name="Concept wonen", is_published=False)
    InitiativeFactory(name="Gepubliceerd wonen")
    assert _names(q="wonen") == ["Gepubliceerd wonen"]
    assert _names(q="!!! ***") == []
    assert _names(q='"wonen*') == ["Gepubliceerd wonen"]  # search syntax is not interpreted


def test_filters_by_group_region_status_and_target_group():
    InitiativeFactory(name="A", group="calm_in_crisis", region="Zeeland", status="research", target_group="Jongeren")
    InitiativeFactory(name="B", group="calm_in_crisis", region="Utrecht", status="active", target_group="Ouderen")
    InitiativeFactory(name="C", group="other", region="Zeeland", status="research", target_group="Jongeren")
    assert _names(group="calm_in_crisis") == ["A", "B"]
    assert _names(region="Zeeland") == ["A", "C"]
    assert _names(status="active") == ["B"]
    assert _names(target_group="jongeren") == ["A", "C"]
    assert _names(group="calm_in_crisis", region="Zeeland", status="research") == ["A"]


def test_search_and_filter_combine():
    InitiativeFactory(name="Wonen Zeeland", region="Zeeland")
    InitiativeFactory(name="Wonen Utrecht", region="Utrecht")
    assert _names(q="woning", region="Zeeland") == ["Wonen Zeeland"]


def test_reindex_follows_changes():
    from doorbraak.initiatives.services import reindex

    initiative = InitiativeFactory(name="Oud", summary="bibliotheek")
    assert _names(q="bibliotheken") == ["Oud"]
    Initiative.objects.filter(pk=initiative.pk).update(summary="school")
    initiative.refresh_from_db()
    reindex(initiative)
    assert _names(q="bibliotheek") == []
    assert _names(q="scholen") == ["Oud"]


def test_seed_loads_once_and_is_searchable(client):
    created = load()
    assert created == Initiative.objects.count() >= 20
    assert load() == 0  # idempotent
    assert "Linawijs" in _names(q="onderwijs autisme")
    response = client.get(reverse("initiatives:list"), {"q": "bibliotheken"})
    assert response.status_code == 200
    assert "Bibliotheken" in response.content.decode() or "bibliothe" in response.content.decode().lower()


def test_list_page_paginates_and_keeps_filters(client):
    for n in range(45):
        InitiativeFactory(name=f"Woonproject {n:02d}", region="Gelderland")
    response = client.get(reverse("initiatives:list"), {"q": "woon", "region": "Gelderland"})
    html = response.content.decode()
    assert "45 initiatieven gevonden" in html
    assert "Pagina 1 van 3" in html
    assert "q=woon&amp;region=Gelderland&amp;pagina=2" in html
    page3 = client.get(reverse("initiatives:list"), {"q": "woon", "region": "Gelderland", "pagina": 3})
    assert page3.content.decode().count('class="db-card"') == 5
    assert "<title>Zoekresultaten – Initiatieven – pagina 3 – Doorbraak</title>" in page3.content.decode()


def test_list_query_count_does_not_grow_with_results(client, django_assert_max_num_queries):
    for n in range(25):
        InitiativeFactory(name=f"Project {n}")
    with django_assert_max_num_queries(4):
        client.get(reverse("initiatives:list"))


def test_invalid_filter_value_is_ignored_not_an_error(client):
    InitiativeFactory(name="Zichtbaar")
    response = client.get(reverse("initiatives:list"), {"group": "bestaat-niet"})
    assert response.status_code == 200
    assert "Zichtbaar" in response.content.decode()


def test_deleted_initiative_leaves_the_index():
    initiative = InitiativeFactory(name="Verdwijnt", summary="bibliotheek")
    initiative.delete()
    InitiativeFactory(name="Blijft", summary="school")
    assert _names(q="bibliotheek") == []
