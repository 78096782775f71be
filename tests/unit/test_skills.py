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


@pytest.mark.parametrize("text", ["", "   ", "I like football", "cleanliness"])
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
    with pytest.raises(ValueError, match="Unknown skill codes: juggling"):
        skills.labels(["forklift", "juggling"])


def test_near_synonyms_name_known_skills_both_ways():
    vocabulary = skills.vocabulary()
    for code in vocabulary:
        for other in skills.related(code):
            assert other in vocabulary and other != code
            assert code in skills.related(other), (code, other)
    assert "dry_lining" in skills.related("plastering")
    assert skills.related("forklift") == ()
