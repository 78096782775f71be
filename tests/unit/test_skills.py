import pytest

from marketplace.matching import skills


@pytest.mark.parametrize("text, expected", [
    ("cooked for 300 on the wing", ["volume_catering"]),
    ("Forklift licence (counterbalance) and stock control", ["forklift", "stock_control"]),
    ("wing cleaner 2 years, food hygiene level 2", ["cleaning", "food_hygiene"]),
    ("Worked in the servery, then on the gardens party", ["serving_food", "horticulture"]),
    ("Painter and decorator. Got my CSCS card.", ["painting_decorating", "cscs_card"]),
    ("welding, welding and more welding", ["welding"]),
])
def test_normalise_finds_skills_in_plain_words(text, expected):
    assert skills.normalise(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "I like going out", "cleanliness",
                                  "did kitchens inside"])
def test_normalise_finds_nothing_where_there_is_nothing(text):
    assert skills.normalise(text) == []


def test_every_label_and_synonym_normalises_to_its_own_skill():
    for skill in skills.vocabulary().values():
        for phrase in (skill.label, *skill.synonyms):
            assert skill.code in skills.normalise(phrase), (phrase, skill.code)


def test_no_two_skills_share_a_phrase():
    owners: dict[str, str] = {}
    for skill in skills.vocabulary().values():
        for phrase in (skill.label.lower(), *skill.synonyms):
            assert owners.setdefault(phrase, skill.code) == skill.code, phrase


def test_vocabulary_covers_prison_trades_and_every_sector_code_is_valid():
    vocabulary = skills.vocabulary()
    assert len(vocabulary) >= 90
    for code in ("forklift", "volume_catering", "barbering", "bike_repair", "cscs_card",
                 "key_cutting", "coding", "customer_service", "peer_mentoring"):
        assert code in vocabulary


def test_labels_and_unknown_codes():
    assert skills.labels(["forklift", "stock_control"]) == ["Forklift driving", "Stock control"]
    # A code from an older taxonomy is left out, not an error on someone's page.
    assert skills.labels(["forklift", "esco:gone", "juggling"]) == ["Forklift driving"]


def test_near_synonyms_name_known_skills_both_ways():
    taxonomy = skills.taxonomy()
    relations = skills._relations()["related"]
    for code, others in relations.items():
        assert code in taxonomy, code
        for other in others:
            assert other in taxonomy and other != code
            assert code in relations[other], (code, other)
    assert "dry_lining" in skills.related("plastering")
    assert skills.related("juggling") == ()


# --- ESCO: skills the project's list did not know --------------------------------------------
def _labels(text: str) -> list[str]:
    return skills.labels(skills.normalise(text))


@pytest.mark.parametrize("text, expected", [
    # ESCO preferred labels and alternative labels, shown as the preferred label
    ("data mining, SQL", ["Data mining", "SQL"]),
    ("stock level monitoring", ["Monitor stock level"]),
    ("monitor stock levels", ["Monitor stock level"]),
    ("installing heat pumps", ["Install heat pump"]),
    ("Python (computer programming)", ["Python (computer programming)"]),
    # the longest phrase wins, and punctuation ends a phrase
    ("printing, machine operation", ["Printing", "Machine operation"]),
])
def test_esco_labels_normalise_to_the_preferred_label(text, expected):
    assert _labels(text) == expected


def test_stock_control_and_inventory_management_meet():
    """Our "Stock control" already reads "inventory management"; ESCO's "manage inventory" and
    "monitor stock level" are other skills, close to it (half a match)."""
    assert skills.normalise("inventory management") == skills.normalise("stock control")
    for esco_words in ("manage inventory", "monitor stock levels"):
        (code,) = skills.normalise(esco_words)
        assert code.startswith("esco:")
        assert code in skills.related("stock_control")
        assert "stock_control" in skills.related(code)


def test_esco_skills_that_are_ours_read_as_ours():
    """"operate forklift" is ESCO's label for our Forklift driving: one skill, not two, so a
    role that asks for one matches a person who has the other in full."""
    assert skills.normalise("operate forklift") == ["forklift"]
    assert skills.normalise("provide first aid") == skills.normalise("first aid") == ["first_aid"]
    assert "operate forklift" in skills.taxonomy()["forklift"].synonyms
    esco = {row["code"] for row in skills._esco()}
    for code, ours in skills._relations()["same"].items():
        assert code in esco and ours in skills.vocabulary()
        assert code not in skills.taxonomy()  # one skill, under our code


def test_prison_and_trade_words_still_win_over_esco():
    assert skills.normalise("cooked for 300 on the wing") == ["volume_catering"]
    assert skills.normalise("got my CSCS card") == ["cscs_card"]
    # an acronym is not stemmed into another one, and ESCO's short acronyms are not words
    assert skills.normalise("CPCS") == ["plant_operation"]
    assert skills.normalise("did the wing cleaning") == ["cleaning"]


def test_the_taxonomy_holds_esco_with_stable_codes():
    taxonomy = skills.taxonomy()
    esco = [code for code in taxonomy if code.startswith("esco:")]
    assert len(esco) > 13_000
    assert set(skills.vocabulary()) <= set(taxonomy)
    assert skills.labels(skills.normalise("data mining")) == ["Data mining"]
    # a code is a digest of ESCO's preferred label, so a stored profile keeps its meaning
    # when the file is rebuilt
    import hashlib

    assert skills.normalise("data mining") == [
        "esco:" + hashlib.sha1(b"data mining").hexdigest()[:10]]


def test_an_esco_near_synonym_counts_half_and_is_named_in_the_taxonomy_words():
    """A role that wants "stock control" and a person who wrote "manage inventory" (ESCO's
    label, which our list did not know): half a match, named as the taxonomy names both."""
    from types import SimpleNamespace as NS

    from marketplace.matching import explain, scoring

    person = NS(skills=skills.normalise("manage inventory, data mining"), preferred_sectors=[],
                preferred_hours=None)
    role = NS(skills=skills.normalise("stock control, SQL"), sector=None, hours=None)
    assert skills.labels(person.skills) == ["Manage inventory", "Data mining"]
    result = scoring.score(person, role, cosine=0.5, miles=None)
    assert result.shared_skills == ()
    assert [skills.labels(pair) for pair in result.near_skills] == [
        ["Stock control", "Manage inventory"]]
    assert result.parts["skills"] == 0.5 + 0.25 * 0.5 / 2 + 0.25 * 0.5 / 2
    reasons = explain.for_candidate(result, home_district="LS11")
    assert reasons[0] == "needs skills close to yours: Stock control (close to Manage inventory)"
    # only what matched is named: not the person's data mining, not the role's SQL
    assert not any("SQL" in r or "Data mining" in r for r in reasons)


def test_esco_skills_shared_by_person_and_role_are_named_by_their_preferred_label():
    from types import SimpleNamespace as NS

    from marketplace.matching import explain, scoring

    person = NS(skills=skills.normalise("SQL, stock level monitoring"), preferred_sectors=[],
                preferred_hours=None)
    role = NS(skills=skills.normalise("monitor stock levels; operate forklift"), sector=None,
              hours=None)
    result = scoring.score(person, role, cosine=0.5, miles=None)
    assert explain.for_employer(result, home_district="LS11")[0] == (
        "has 1 of 2 skills you asked for: Monitor stock level")
