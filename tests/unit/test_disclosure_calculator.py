"""Every worked example in DISCLOSURE.md s.4, and the certificate rules of s.2."""

import datetime as dt

import pytest

from marketplace.disclosure import explain
from marketplace.disclosure.calculator import (
    Conviction,
    DisposalKind,
    LengthOverMaximum,
    OrderEnd,
    Sentence,
    assess,
    check_maximum_length,
    disclosable,
    single,
)
from marketplace.types import CheckLevel

D = DisposalKind
AS_OF = dt.date(2026, 11, 22)


def c(id, date, disposal, *, under_18=False, months=None, end=None, **extra):
    return single(id=id, date=dt.date.fromisoformat(date), under_18=under_18,
                      disposal=disposal, length_months=months,
                      end_date=dt.date.fromisoformat(end) if end else None, **extra)


def spent_on(record):
    return [o.spent_on.isoformat() if o.spent_on else "never"
            for o in assess(record, AS_OF)]


EXAMPLES = [
    ("ex01-adult-3y-custody", [c("1", "2021-05-05", D.CUSTODY, months=36)], ["2028-05-05"]),
    ("ex02-adult-22m-custody", [c("1", "2020-01-01", D.CUSTODY, months=22)], ["2025-11-01"]),
    ("ex03-adult-22m-suspended", [c("1", "2020-01-01", D.SUSPENDED, months=22)],
     ["2025-11-01"]),
    ("ex04-youth-24m-dto", [c("1", "2019-09-12", D.DTO, under_18=True, months=24)],
     ["2023-09-12"]),
    ("ex05-schedule-18-5y", [c("1", "2020-01-01", D.CUSTODY, months=60, schedule_18=True)],
     ["never"]),
    ("ex06-hospital-order-no-length", [c("1", "2020-01-01", D.HOSPITAL_ORDER)],
     ["2022-01-01"]),
    ("ex07-disqualification-6m", [c("1", "2020-01-01", D.DISQUALIFICATION, months=6)],
     ["2020-07-01"]),
    ("ex08-disqualification-70m", [c("1", "2020-01-01", D.DISQUALIFICATION, months=70)],
     ["2025-11-01"]),
    ("ex09-motoring-endorsement", [c("1", "2020-01-01", D.MOTORING_ENDORSEMENT)],
     ["2025-01-01"]),
    ("ex10-motoring-fine-adult", [c("1", "2020-01-01", D.MOTORING_FINE)], ["2021-01-01"]),
    ("ex11-motoring-fine-youth", [c("1", "2020-01-01", D.MOTORING_FINE, under_18=True)],
     ["2020-07-01"]),
    ("ex12-youth-referral-order", [c("1", "2008-06-01", D.REFERRAL_ORDER, under_18=True,
                                     months=24)], ["2010-06-01"]),
    ("ex13-youth-caution", [c("1", "2006-01-01", D.YOUTH_CAUTION, under_18=True)],
     ["2006-01-01"]),
    ("ex14-drawing-discharge-then-community",
     [c("1", "2017-01-25", D.CONDITIONAL_DISCHARGE, months=24),
      c("2", "2018-12-10", D.COMMUNITY_ORDER, months=12)], ["2019-12-10", "2019-12-10"]),
    ("ex15-conditional-caution-3-months",
     [c("1", "2019-01-31", D.CONDITIONAL_CAUTION, end="2019-05-30")], ["2019-04-30"]),
    ("ex16-conditional-caution-conditions-end",
     [c("1", "2019-01-31", D.CONDITIONAL_CAUTION, end="2019-03-30")], ["2019-03-30"]),
    ("ex17-fine-adult", [c("1", "2018-10-31", D.FINE)], ["2019-10-31"]),
    ("ex17-fine-youth", [c("1", "2018-10-31", D.FINE, under_18=True)], ["2019-04-30"]),
    ("ex18-compensation-paid", [c("1", "2018-10-31", D.COMPENSATION_ORDER, end="2019-04-30")],
     ["2019-04-30"]),
    ("ex19-absolute-discharge", [c("1", "2018-10-31", D.ABSOLUTE_DISCHARGE)], ["2018-10-31"]),
    ("ex20-drawing-custody-then-suspended",
     [c("1", "2015-05-20", D.CUSTODY, months=4), c("2", "2016-02-01", D.SUSPENDED, months=3)],
     ["2017-05-01", "2017-05-01"]),
    ("ex21-no-overlap", [c("1", "2015-05-20", D.CUSTODY, months=3),
                         c("2", "2018-02-01", D.FINE)], ["2016-08-20", "2019-02-01"]),
    ("ex22-chained-drawing",
     [c("1", "2011-02-25", D.REFERRAL_ORDER, under_18=True, months=6),
      c("2", "2013-02-12", D.YOUTH_REHABILITATION_ORDER, under_18=True, months=24),
      c("3", "2014-07-01", D.COMMUNITY_ORDER, months=24),
      c("4", "2016-06-30", D.CUSTODY, months=12)],
     ["2011-08-25", "2018-06-30", "2018-06-30", "2018-06-30"]),
]


@pytest.mark.parametrize("record, expected", [(r, e) for _, r, e in EXAMPLES],
                         ids=[name for name, _, _ in EXAMPLES])
def test_worked_example(record, expected):
    assert spent_on(record) == expected


def test_drawn_convictions_name_what_drew_them():
    outcomes = assess(EXAMPLES[-1][1], AS_OF)
    assert outcomes[0].drawn_by == ()
    assert outcomes[1].drawn_by == ("3", "4")


def test_never_spent_sentence_during_unspent_period_makes_earlier_never_spent():
    record = [c("1", "2019-01-01", D.COMMUNITY_ORDER, months=24),
              c("2", "2020-01-01", D.LIFE)]
    assert spent_on(record) == ["never", "never"]


def test_earlier_never_spent_conviction_does_not_stop_later_ones_being_spent():
    record = [c("1", "2000-01-01", D.LIFE), c("2", "2020-01-01", D.FINE)]
    assert spent_on(record) == ["never", "2021-01-01"]


def test_later_summary_only_conviction_does_not_extend_earlier_one():
    record = [c("1", "2020-01-01", D.COMMUNITY_ORDER, months=12),
              c("2", "2020-06-01", D.CUSTODY, months=6, summary_only=True)]
    first, second = assess(record, AS_OF)
    assert first.spent_on == dt.date(2021, 1, 1)
    assert "GOV.UK checker does not apply this rule" in " ".join(first.reasons)
    assert second.spent_on == dt.date(2021, 12, 1)


def test_later_summary_only_conviction_is_not_extended_by_earlier_unspent_one():
    """ROA s.6(6): the summary-only fine is disregarded for s.6(4)(a), so it is not dragged to
    the end of the custodial period it fell in (2027-01-10), and does not drag it either."""
    record = [c("1", "2021-01-10", D.CUSTODY, months=24),
              c("2", "2022-03-15", D.FINE, summary_only=True)]
    custody, fine = assess(record, AS_OF)
    assert custody.spent_on == dt.date(2027, 1, 10)
    assert fine.spent_on == dt.date(2023, 3, 15) and fine.spent and fine.drawn_by == ()
    assert "earlier conviction did not make it last longer" in explain.summary(
        fine, CheckLevel.BASIC)


def test_disqualification_does_not_extend_other_convictions():
    record = [c("1", "2020-01-01", D.DISQUALIFICATION, months=60),
              c("2", "2021-01-01", D.FINE)]
    assert spent_on(record) == ["2025-01-01", "2022-01-01"]


def test_cautions_never_drag_and_are_never_dragged():
    record = [c("1", "2020-01-01", D.CONDITIONAL_CAUTION),
              c("2", "2020-02-01", D.CUSTODY, months=6)]
    assert spent_on(record) == ["2020-04-01", "2021-08-01"]


def test_unspent_conviction_shows_on_every_check():
    (outcome,) = assess([c("1", "2025-01-01", D.CUSTODY, months=12)], AS_OF)
    assert not outcome.spent
    assert all(disclosable(outcome, level) for level in CheckLevel)


def test_spent_recent_conviction_shows_on_standard_but_not_basic():
    (outcome,) = assess([c("1", "2020-01-01", D.FINE)], AS_OF)
    assert outcome.spent and not outcome.protected
    assert not disclosable(outcome, CheckLevel.BASIC)
    assert disclosable(outcome, CheckLevel.STANDARD)


def test_old_non_custodial_conviction_is_protected_after_11_years():
    (outcome,) = assess([c("1", "2014-01-01", D.FINE)], AS_OF)
    assert outcome.protected
    assert not disclosable(outcome, CheckLevel.ENHANCED_BARRED)


def test_youth_conviction_is_protected_after_5_and_a_half_years():
    (outcome,) = assess([c("1", "2021-01-01", D.FINE, under_18=True)], AS_OF)
    assert outcome.protected


def test_specified_offence_is_never_protected():
    (outcome,) = assess([c("1", "2000-01-01", D.FINE, specified_offence=True)], AS_OF)
    assert outcome.spent and not outcome.protected


def test_custodial_sentence_is_never_protected():
    (outcome,) = assess([c("1", "2000-01-01", D.SUSPENDED, months=6)], AS_OF)
    assert outcome.spent and not outcome.protected


def test_adult_caution_protected_after_six_years_youth_caution_never_shown():
    adult, youth = assess([c("1", "2019-01-01", D.SIMPLE_CAUTION),
                           c("2", "2025-01-01", D.YOUTH_CAUTION, under_18=True)], AS_OF)
    assert adult.protected
    assert youth.protected and not youth.shows_on


def test_youth_caution_for_specified_offence_is_on_no_certificate():
    """Since 28 November 2020 youth cautions are never disclosed automatically, whatever the
    offence: the specified-offence rule does not bring one back."""
    (outcome,) = assess([c("1", "2021-06-14", D.YOUTH_CAUTION, under_18=True,
                           specified_offence=True)], AS_OF)
    assert outcome.protected and not outcome.shows_on


def test_youth_conditional_caution_shows_only_while_unspent():
    record = [c("1", "2025-09-01", D.YOUTH_CONDITIONAL_CAUTION, under_18=True,
                end="2025-10-20", specified_offence=True)]
    (while_unspent,) = assess(record, dt.date(2025, 10, 1))
    assert not while_unspent.spent
    assert all(disclosable(while_unspent, level) for level in CheckLevel)
    (once_spent,) = assess(record, AS_OF)
    assert once_spent.spent_on == dt.date(2025, 10, 20)
    assert once_spent.protected and not once_spent.shows_on


@pytest.mark.parametrize("date, expected", [
    # Before 4 April 2005 (PCC(S)A 2000 s.85): by length, 6 years ends 2010-11-08, then 7 years.
    ("2004-11-08", "2017-11-08"),
    ("2005-04-03", "2018-04-03"),
    # From 4 April 2005 (CJA 2003 ss.226A-228, then the Sentencing Code): never spent.
    ("2005-04-04", "never"),
    ("2012-07-30", "never"),
])
def test_extended_sentence_is_excluded_only_from_4_april_2005(date, expected):
    assert spent_on([c("1", date, D.EXTENDED, months=72)]) == [expected]


def test_old_extended_sentence_without_a_length_is_not_spent_and_says_why():
    (outcome,) = assess([c("1", "2003-02-17", D.EXTENDED)], AS_OF)
    assert not outcome.spent and not outcome.never_spent and outcome.spent_on is None
    assert disclosable(outcome, CheckLevel.BASIC)
    assert "We cannot be sure" in explain.spent_sentence(outcome)


def test_unpaid_compensation_order_is_not_spent():
    (outcome,) = assess([c("1", "2024-01-01", D.COMPENSATION_ORDER)], AS_OF)
    assert not outcome.spent and not outcome.never_spent and outcome.spent_on is None


@pytest.mark.parametrize("record, field", [
    ([c("1", "2020-01-01", D.CUSTODY)], "length_months"),
    ([c("1", "2020-01-01", D.COMMUNITY_ORDER, months=-1)], "length_months"),
    ([c("1", "2020-01-01", D.COMMUNITY_ORDER, end="2019-01-01")], "end_date"),
])
def test_impossible_input_names_the_field(record, field):
    with pytest.raises(ValueError, match=field):
        assess(record, AS_OF)


@pytest.mark.parametrize("disposal, months, days", [
    (D.DTO, 25, None), (D.DTO, 24, 1), (D.SUSPENDED, 30, None), (D.SUSPENDED, 23, 40)])
def test_length_over_the_statutory_maximum_is_refused_with_a_plain_message(disposal, months,
                                                                           days):
    with pytest.raises(LengthOverMaximum, match="can be no longer than") as caught:
        check_maximum_length(disposal, months, days)
    assert isinstance(caught.value, ValueError)
    assert str(caught.value).startswith("length_months: ")


@pytest.mark.parametrize("disposal, months", [
    (D.DTO, 24), (D.SUSPENDED, 24), (D.CUSTODY, 600), (D.COMMUNITY_ORDER, None)])
def test_length_within_the_statutory_maximum_is_accepted(disposal, months):
    check_maximum_length(disposal, months)


def test_order_until_further_order_is_not_spent_while_it_lasts():
    # ROA s.5(2): the last day the order has effect; until a court ends it, that is unknown.
    (outcome,) = assess([c("1", "2012-03-01", D.RELEVANT_ORDER,
                           order_end=OrderEnd.UNTIL_FURTHER_ORDER)], AS_OF)
    assert not outcome.spent and outcome.spent_on is None and not outcome.uncertain
    assert all(disclosable(outcome, level) for level in CheckLevel)
    assert "lasts until a court ends it" in explain.spent_sentence(outcome)


def test_order_until_further_order_ended_by_another_order_is_spent_on_that_day():
    (outcome,) = assess([c("1", "2012-03-01", D.HOSPITAL_ORDER, end="2020-06-15",
                           order_end=OrderEnd.UNTIL_FURTHER_ORDER)], AS_OF)
    assert outcome.spent and outcome.spent_on == dt.date(2020, 6, 15)


def test_order_end_not_known_is_uncertain_never_the_s_5_3_24_months():
    (outcome,) = assess([c("1", "2012-03-01", D.RELEVANT_ORDER,
                           order_end=OrderEnd.UNKNOWN)], AS_OF)
    assert outcome.uncertain and not outcome.spent and outcome.spent_on is None
    words = explain.spent_sentence(outcome)
    assert "We cannot be sure" in words and "ask the court that made the order" in words


def test_order_with_no_provision_for_its_end_is_24_months_from_conviction():
    # ROA s.5(3), only where the order makes no provision for its end.
    assert spent_on([c("1", "2021-03-01", D.RELEVANT_ORDER,
                       order_end=OrderEnd.NO_PROVISION)]) == ["2023-03-01"]
    # A record stored before the question was asked reads as before.
    assert spent_on([c("1", "2021-03-01", D.RELEVANT_ORDER)]) == ["2023-03-01"]


def test_order_with_an_end_date_answer_needs_the_date():
    with pytest.raises(ValueError, match="end_date"):
        assess([c("1", "2021-03-01", D.RELEVANT_ORDER, order_end=OrderEnd.DATE)], AS_OF)


def test_later_conviction_drawn_by_an_order_of_unknown_end_is_uncertain_too():
    first, second = assess([c("1", "2020-03-01", D.HOSPITAL_ORDER, order_end=OrderEnd.UNKNOWN),
                            c("2", "2021-03-01", D.FINE)], AS_OF)
    assert first.uncertain and second.uncertain and second.spent_on is None
    assert "We cannot be sure" in explain.spent_sentence(second)


@pytest.mark.parametrize("under_18, expected", [
    # Adults: the endorsement's 5 years beats the checker's 3. Under 18: the checker's 3 years
    # beats the endorsement's 2½. The longer, so nobody under-discloses.
    (False, "2026-02-01"), (True, "2024-02-01")])
def test_penalty_points_take_the_longer_period_and_say_it_is_uncertain(under_18, expected):
    (outcome,) = assess([c("1", "2021-02-01", D.PENALTY_POINTS, under_18=under_18)], AS_OF)
    assert outcome.spent_on.isoformat() == expected and outcome.uncertain
    words = explain.spent_sentence(outcome)
    assert "We cannot be sure of this date" in words and "later date" in words


@pytest.mark.parametrize("under_18, expected", [(False, "2025-09-01"), (True, "2025-03-01")])
def test_service_detention_is_spent_a_year_after_it_ends_6_months_if_under_18(under_18,
                                                                              expected):
    # ROA s.5(2) Table A (LASPO 2012 s.139): 6 months' detention ends 2024-09-01.
    assert spent_on([c("1", "2024-03-01", D.SERVICE_DETENTION, under_18=under_18,
                       months=6)]) == [expected]


def test_service_detention_needs_its_length():
    with pytest.raises(ValueError, match="length_months"):
        assess([c("1", "2024-03-01", D.SERVICE_DETENTION)], AS_OF)


@pytest.mark.parametrize("under_18, expected", [(False, "2025-03-01"), (True, "2024-09-01")])
def test_removal_from_service_is_spent_a_year_from_conviction_6_months_if_under_18(
        under_18, expected):
    # ROA s.5(2) Table A (LASPO 2012 s.139).
    assert spent_on([c("1", "2024-03-01", D.REMOVAL_FROM_SERVICE,
                       under_18=under_18)]) == [expected]


# Convictions with several sentences (ROA s.6(2)).
def test_a_conviction_is_spent_when_its_last_sentence_is():
    """Custody of 6 months (period ends 1 year after it ends) and a fine (1 year from
    conviction), given together: the custody decides."""
    conviction = Conviction("1", dt.date(2020, 3, 2), False, (
        Sentence(D.CUSTODY, length_months=6), Sentence(D.FINE)))
    (outcome,) = assess([conviction], AS_OF)
    assert outcome.spent_on == dt.date(2021, 9, 2) and outcome.spent
    assert any(r.startswith("ROA s.6(2)") for r in outcome.reasons)


def test_an_order_until_further_order_keeps_its_whole_conviction_unspent():
    conviction = Conviction("1", dt.date(2019, 5, 14), False, (
        Sentence(D.CUSTODY, length_months=8),
        Sentence(D.RELEVANT_ORDER, order_end=OrderEnd.UNTIL_FURTHER_ORDER)))
    (outcome,) = assess([conviction], AS_OF)
    assert outcome.spent_on is None and not outcome.spent and not outcome.uncertain
    assert disclosable(outcome, CheckLevel.BASIC)
    assert "not spent while the order lasts" in explain.summary(outcome, CheckLevel.BASIC)
    ended = Conviction("1", dt.date(2019, 5, 14), False, (
        Sentence(D.CUSTODY, length_months=8),
        Sentence(D.RELEVANT_ORDER, order_end=OrderEnd.UNTIL_FURTHER_ORDER,
                 end_date=dt.date(2024, 2, 1))))
    assert spent_on([ended]) == ["2024-02-01"]


def test_a_relevant_order_beside_a_fine_extends_only_its_own_conviction():
    """s.6(5): the 5-year order does not extend the later conviction; the fine given with it
    does (s.6(4)), and the later conviction extends that fine."""
    first = Conviction("1", dt.date(2020, 1, 1), False, (
        Sentence(D.FINE), Sentence(D.RELEVANT_ORDER, length_months=60)))
    later = c("2", "2020-06-01", D.FINE)
    assert spent_on([first, later]) == ["2025-01-01", "2021-06-01"]


def test_an_extended_sentence_passed_before_4_april_2005_counts_by_its_length():
    """ROA s.5(1)(f): what counts is the day the sentence was passed. Convicted 1 March 2005
    and sentenced under PCC(S)A 2000 s.85 on 10 March to 30 months: it ends 10 September 2007,
    then 4 years (s.5(2) table A). Sentenced on 4 April 2005 instead: never spent."""
    before = c("1", "2005-03-01", D.EXTENDED, months=30, sentence_date=dt.date(2005, 3, 10))
    after = c("2", "2005-03-01", D.EXTENDED, months=30, sentence_date=dt.date(2005, 4, 4))
    assert spent_on([before]) == ["2011-09-10"]
    assert spent_on([after]) == ["never"]


def test_a_caution_cannot_have_a_sentence_beside_it():
    caution = Conviction("1", dt.date(2020, 1, 1), False, (
        Sentence(D.SIMPLE_CAUTION), Sentence(D.FINE)))
    with pytest.raises(ValueError, match="^sentences: a caution"):
        assess([caution], AS_OF)
    with pytest.raises(ValueError, match="^sentences: enter at least one"):
        assess([Conviction("1", dt.date(2020, 1, 1), False, ())], AS_OF)


@pytest.mark.parametrize("disposal, limit", [
    (D.COMMUNITY_ORDER, 36), (D.YOUTH_REHABILITATION_ORDER, 36), (D.CONDITIONAL_DISCHARGE, 36),
    (D.SERVICE_DETENTION, 24), (D.DTO, 24), (D.SUSPENDED, 24)])
def test_lengths_over_the_statutory_maximum_are_refused(disposal, limit):
    check_maximum_length(disposal, limit)
    with pytest.raises(LengthOverMaximum, match="no longer than"):
        check_maximum_length(disposal, limit + 1)


def test_a_service_community_order_counts_like_a_community_order():
    """ROA s.5(8): a service or overseas community order (Armed Forces Act 2006) is a
    "community or youth rehabilitation order" in the table: spent the day it ends."""
    assert spent_on([c("1", "2022-03-01", D.SERVICE_COMMUNITY_ORDER, months=12)]) == [
        "2023-03-01"]
