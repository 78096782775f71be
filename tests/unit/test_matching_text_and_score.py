from types import SimpleNamespace as NS

import pytest

from marketplace.matching import scoring
from marketplace.matching.text import candidate_text, opportunity_text
from marketplace.types import HoursPattern, Sector


def _candidate(**overrides):
    fields = dict(
        first_name="Sam", last_name="Taylor", prison_number="A1234BC", risk_notes="private",
        headline="Warehouse worker", skills_text="forklift, stock control",
        summary="Two years on the wing kitchen and stores.", skills=["forklift", "stock_control"],
        qualifications=[NS(name="Counterbalance forklift licence")],
        work_history=[NS(role="Stores orderly", in_custody=True, description="Stock counts")],
        preferred_sectors=["logistics_warehousing"], preferred_hours=HoursPattern.FULL_TIME)
    fields.update(overrides)
    return NS(**fields)


def _opportunity(**overrides):
    fields = dict(title="Forklift driver", skills_text="forklift", description="Loading bays.",
                  qualifications_wanted="Forklift licence", sector=Sector.LOGISTICS,
                  skills=["forklift", "picking"], hours=HoursPattern.FULL_TIME)
    fields.update(overrides)
    return NS(**fields)


def test_candidate_text_has_profile_and_nothing_private():
    text = candidate_text(_candidate())
    for part in ("Warehouse worker", "forklift, stock control", "Counterbalance forklift licence",
                 "Stores orderly (in prison): Stock counts", "Logistics and warehousing"):
        assert part in text
    for private in ("Sam", "Taylor", "A1234BC", "private"):
        assert private not in text


def test_candidate_text_skips_empty_parts():
    text = candidate_text(_candidate(headline="", summary="", qualifications=[], work_history=[],
                                     preferred_sectors=[]))
    assert text == "forklift, stock control"


def test_opportunity_text_has_title_skills_description_qualifications_and_title_again():
    """Plain text without labels or the sector, the title repeated: measured best
    (bench/match_eval.py --templates)."""
    assert opportunity_text(_opportunity()) == (
        "Forklift driver\nforklift\nLoading bays.\nForklift licence\nForklift driver")


def test_score_parts_and_weights():
    result = scoring.score(_candidate(), _opportunity(), cosine=0.6, miles=10.0)
    assert result.parts == {"semantic": 0.6, "skills": 0.75, "distance": 0.5,
                            "preferences": 1.0}
    assert result.total == pytest.approx(0.7 * 0.6 + 0.05 * 0.75 + 0.15 * 0.5 + 0.1 * 1.0)
    searched = scoring.score(_candidate(), _opportunity(), cosine=0.6, miles=10.0, search=True)
    assert searched.total == pytest.approx(0.55 * 0.6 + 0.2 * 0.75 + 0.15 * 0.5 + 0.1 * 1.0)
    assert result.shared_skills == ("forklift",)


def test_closer_scores_higher_all_else_equal():
    near = scoring.score(_candidate(), _opportunity(), cosine=0.5, miles=2)
    far = scoring.score(_candidate(), _opportunity(), cosine=0.5, miles=40)
    assert near.total > far.total


def test_remote_role_scores_distance_in_full():
    assert scoring.score(_candidate(), _opportunity(), cosine=0.5, miles=None).parts[
        "distance"] == 1.0


def test_negative_similarity_counts_as_zero():
    assert scoring.score(_candidate(), _opportunity(), cosine=-0.3, miles=1).parts[
        "semantic"] == 0.0


def test_role_without_skills_is_neutral_on_skills():
    assert scoring.score(_candidate(), _opportunity(skills=[]), cosine=0.5, miles=1).parts[
        "skills"] == 0.5


def test_skills_count_when_they_match_and_never_against_anyone():
    none_shared = scoring.score(_candidate(), _opportunity(skills=["welding"]), cosine=0.5,
                                miles=1)
    nothing_listed = scoring.score(_candidate(skills=[]), _opportunity(), cosine=0.5, miles=1)
    all_shared = scoring.score(_candidate(), _opportunity(skills=["forklift"]), cosine=0.5,
                               miles=1)
    assert none_shared.parts["skills"] == nothing_listed.parts["skills"] == 0.5
    # all the role asks for, and half of what the person has (forklift, not stock control)
    assert all_shared.parts["skills"] == 0.5 + 0.25 * 1 + 0.25 * 0.5
    assert all_shared.shared_skills == ("forklift",)
    everything = scoring.score(_candidate(skills=["forklift"]),
                               _opportunity(skills=["forklift"]), cosine=0.5, miles=1)
    assert everything.parts["skills"] == 1.0


def test_skills_count_on_both_sides():
    """A role that uses more of the person's skills scores higher, even when each role asks
    for one skill the person has: the person's other skills are not all wasted on it."""
    person = _candidate(skills=["forklift", "stock_control", "warehouse_picking"])
    one = scoring.score(person, _opportunity(skills=["forklift", "welding"]), cosine=0.5,
                        miles=1)
    three = scoring.score(person, _opportunity(
        skills=["forklift", "stock_control", "warehouse_picking", "welding", "cleaning",
                "cooking"]), cosine=0.5, miles=1)
    assert one.parts["skills"] == pytest.approx(0.5 + 0.25 * 0.5 + 0.25 / 3, abs=1e-4)
    assert three.parts["skills"] == 0.5 + 0.25 * 0.5 + 0.25 * 1
    assert three.total > one.total


def test_keyword_relevance_counts_in_free_text_search():
    plain = scoring.score(_candidate(), _opportunity(), cosine=0.5, miles=1, search=True)
    searched = scoring.score(_candidate(), _opportunity(), cosine=0.5, miles=1, keyword=1.0,
                             search=True)
    assert searched.total > plain.total and searched.parts["keyword"] == 1.0
    assert searched.total == pytest.approx(0.9 * plain.total + 0.1 * 1.0, abs=1e-4)
    # a profile's own words count for a larger share (chosen on the tuning split)
    profile = scoring.score(_candidate(), _opportunity(), cosine=0.5, miles=1, keyword=1.0)
    alone = scoring.score(_candidate(), _opportunity(), cosine=0.5, miles=1)
    assert profile.total == pytest.approx(0.8 * alone.total + 0.2 * 1.0, abs=1e-4)


def test_a_near_synonym_counts_as_half_a_skill_and_is_named_as_such():
    from marketplace.matching import explain

    result = scoring.score(_candidate(skills=["plastering", "forklift"]),
                           _opportunity(skills=["dry_lining", "forklift"]), cosine=0.5, miles=3)
    # 1.5 of the role's 2 skills, and of the person's 2
    assert result.parts["skills"] == 0.5 + 0.25 * 1.5 / 2 + 0.25 * 1.5 / 2
    assert result.shared_skills == ("forklift",)
    assert result.near_skills == (("dry_lining", "plastering"),)
    assert explain.for_candidate(result, home_district="LS11")[:2] == [
        "uses your skills: Forklift driving",
        "needs skills close to yours: Dry lining (close to Plastering)"]
    assert explain.for_employer(result, home_district="LS11")[:2] == [
        "has 1 of 2 skills you asked for: Forklift driving",
        "has skills close to others you asked for: Plastering (close to Dry lining)"]


def test_explanations_name_only_skills_that_matched():
    from marketplace.matching import explain

    result = scoring.score(_candidate(skills=["welding"]), _opportunity(), cosine=0.5, miles=3)
    assert not any("skills" in r or "Forklift" in r
                   for r in explain.for_candidate(result, home_district="LS11"))
