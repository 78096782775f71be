"""Invariants of the calculator, over generated records."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from marketplace.disclosure.calculator import (
    CAUTIONS,
    INDETERMINATE,
    ORDERS,
    Conviction,
    DisposalKind,
    OrderEnd,
    Sentence,
    assess,
    single,
)
from marketplace.types import CheckLevel

D = DisposalKind
dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2026, 1, 1))
as_of_dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2060, 1, 1))
LENGTHED = [D.CUSTODY, D.SUSPENDED, D.DTO, D.COMMUNITY_ORDER, D.CONDITIONAL_DISCHARGE,
            D.REFERRAL_ORDER, D.DISQUALIFICATION, D.SERVICE_DETENTION]
# Certificates that can show spent records (DBS filtering rules since 28 November 2020).
CERTIFICATES = {CheckLevel.STANDARD, CheckLevel.ENHANCED, CheckLevel.ENHANCED_BARRED}
YOUTH_FILTERING_FROM = dt.date(2020, 11, 28)


@st.composite
def sentences(draw, date, kinds=tuple(DisposalKind)):
    disposal = draw(st.sampled_from(kinds))
    months = draw(st.integers(1, 180)) if disposal in LENGTHED else None
    if disposal is D.EXTENDED:  # before 4 April 2005 it counts by length, which may be missing
        months = draw(st.one_of(st.none(), st.integers(1, 180)))
    end = None
    if disposal in (D.COMPENSATION_ORDER, D.CONDITIONAL_CAUTION) and draw(st.booleans()):
        end = date + dt.timedelta(days=draw(st.integers(0, 1000)))
    order_end = None
    if disposal in ORDERS:  # "Does the order have an end date?", or not asked (None)
        order_end = draw(st.sampled_from([None, OrderEnd.UNTIL_FURTHER_ORDER,
                                          OrderEnd.NO_PROVISION, OrderEnd.UNKNOWN]
                                         + ([OrderEnd.DATE] if months else [])))
    # Sentencing is sometimes adjourned: a sentence passed up to a few months later.
    passed = draw(st.one_of(st.none(), st.integers(0, 120)))
    return Sentence(disposal, length_months=months, end_date=end, order_end=order_end,
                    sentence_date=None if passed is None else date + dt.timedelta(days=passed))


SENTENCE_KINDS = tuple(k for k in DisposalKind if k not in CAUTIONS)


@st.composite
def convictions(draw, id=None, max_sentences=3):
    """A caution, or a conviction with one to `max_sentences` sentences."""
    date = draw(dates)
    first = draw(sentences(date))
    more = [] if first.disposal in CAUTIONS else draw(
        st.lists(sentences(date, SENTENCE_KINDS), max_size=max_sentences - 1))
    return Conviction(id=id or draw(st.uuids()).hex[:8], date=date, under_18=draw(st.booleans()),
                      sentences=(first, *more), schedule_18=draw(st.booleans()),
                      specified_offence=draw(st.booleans()), summary_only=draw(st.booleans()))


def _key(outcome) -> dt.date:
    """Comparable 'spent on': never or not known sorts last."""
    return dt.date.max if outcome.spent_on is None else outcome.spent_on


@settings(max_examples=200, deadline=None)
@given(st.sampled_from([D.CUSTODY, D.SUSPENDED, D.DTO]), dates, st.booleans(),
       st.integers(1, 120), st.integers(1, 60), st.booleans())
def test_longer_custodial_sentence_is_never_spent_sooner(kind, date, young, months, extra, sch18):
    shorter, longer = (assess([single("x", date, young, kind, length_months=m,
                                          schedule_18=sch18)], date)[0]
                       for m in (months, months + extra))
    assert _key(longer) >= _key(shorter)


@settings(max_examples=200, deadline=None)
@given(st.lists(convictions(), min_size=1, max_size=4), convictions(id="added"), as_of_dates)
def test_adding_a_conviction_never_makes_another_spent_sooner(record, added, as_of):
    before = assess(record, as_of)
    after = assess([*record, added], as_of)[: len(record)]
    for old, new in zip(before, after, strict=True):
        assert _key(new) >= _key(old)
        assert not (old.never_spent and not new.never_spent)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(INDETERMINATE)), dates, st.booleans(), as_of_dates)
def test_never_spent_disposals_stay_unspent(kind, date, young, as_of):
    (outcome,) = assess([single("x", date, young, kind)], as_of)
    assert outcome.never_spent and not outcome.spent and not outcome.protected


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=dt.date(2005, 4, 4), max_value=dt.date(2026, 1, 1)), st.booleans(),
       st.one_of(st.none(), st.integers(1, 600)), as_of_dates)
def test_extended_sentences_from_4_april_2005_stay_unspent(date, young, months, as_of):
    (outcome,) = assess([single("x", date, young, D.EXTENDED, length_months=months)], as_of)
    assert outcome.never_spent and not outcome.spent and not outcome.protected


@settings(max_examples=300, deadline=None)
@given(st.lists(convictions(), min_size=1, max_size=4), convictions(id="added"),
       st.integers(1, 3000), as_of_dates)
def test_adding_a_summary_only_conviction_never_changes_another_spent_date(
        record, added, days_after, as_of):
    """ROA s.6(6): a later summary-only conviction neither extends an earlier one nor is
    extended by one. (A magistrates' court cannot pass an excluded sentence, hence the
    replacement of those; an earlier summary-only conviction is still drawn by a later
    indictable one under s.6(4), so the added one comes after all the others.)"""
    first = added.sentences[0]
    disposal = D.CUSTODY if first.disposal in INDETERMINATE | {D.EXTENDED} else first.disposal
    added = single(added.id, max(c.date for c in record) + dt.timedelta(days=days_after),
                   added.under_18, disposal, length_months=first.length_months or 6,
                   specified_offence=added.specified_offence, summary_only=True)
    before = assess(record, as_of)
    after = assess([*record, added], as_of)
    for old, new in zip(before, after[: len(record)], strict=True):
        assert (new.spent_on, new.never_spent, new.spent) == (
            old.spent_on, old.never_spent, old.spent)
    (alone,) = assess([added], as_of)
    assert (after[-1].spent_on, after[-1].never_spent) == (alone.spent_on, alone.never_spent)


@settings(max_examples=200, deadline=None)
@given(st.lists(convictions(), max_size=3), convictions(id="youth"), st.booleans(),
       st.integers(0, 20000))
def test_a_youth_caution_never_shows_on_any_certificate_after_28_november_2020(
        record, caution, specified, days_after):
    youth = single("youth", caution.date, True, D.YOUTH_CAUTION,
                   specified_offence=specified)
    as_of = max(YOUTH_FILTERING_FROM, youth.date) + dt.timedelta(days=days_after)
    outcome = assess([*record, youth], as_of)[-1]
    assert not outcome.shows_on


@settings(max_examples=200, deadline=None)
@given(st.lists(convictions(), max_size=3), convictions(id="youth"), st.booleans(),
       as_of_dates)
def test_a_youth_conditional_caution_shows_only_while_unspent(record, caution, specified,
                                                               as_of):
    youth = single("youth", caution.date, True, D.YOUTH_CONDITIONAL_CAUTION,
                   end_date=caution.sentences[0].end_date, specified_offence=specified)
    outcome = assess([*record, youth], as_of)[-1]
    if outcome.spent:
        assert not outcome.shows_on
    elif as_of >= youth.date:
        assert outcome.shows_on >= CERTIFICATES


@settings(max_examples=200, deadline=None)
@given(st.lists(convictions(), min_size=1, max_size=4), as_of_dates)
def test_spent_on_is_never_before_the_conviction(record, as_of):
    for conviction, outcome in zip(record, assess(record, as_of), strict=True):
        if outcome.spent_on is not None:
            assert outcome.spent_on >= conviction.date


@settings(max_examples=200, deadline=None)
@given(st.lists(convictions(), min_size=1, max_size=4), as_of_dates,
       st.integers(0, 5000))
def test_once_spent_stays_spent_and_protected_stays_protected(record, as_of, days):
    later = as_of + dt.timedelta(days=days)
    for now, then in zip(assess(record, as_of), assess(record, later), strict=True):
        assert not (now.spent and not then.spent)
        assert not (now.protected and not then.protected)


@settings(max_examples=200, deadline=None)
@given(st.lists(convictions(), min_size=1, max_size=4), as_of_dates)
def test_protected_implies_spent_and_unspent_shows_on_basic(record, as_of):
    for conviction, outcome in zip(record, assess(record, as_of), strict=True):
        if outcome.protected:
            assert outcome.spent
        if not outcome.spent and not conviction.disposals & (CAUTIONS - {
                D.CONDITIONAL_CAUTION, D.YOUTH_CONDITIONAL_CAUTION}):
            assert "basic" in outcome.shows_on


# Two records hypothesis once found breaking the invariant above, kept as fixed examples.
DAY = dt.date(2000, 1, 1)


def test_a_life_sentence_on_the_same_day_draws_the_others_whatever_their_order():
    one_month = single("cd613e30", DAY, False, D.CUSTODY, length_months=1)
    two_months = single("1e2feb89", DAY, False, D.CUSTODY, length_months=2)
    life = single("added", DAY, False, D.LIFE)
    for outcome in assess([one_month, two_months, life], DAY):
        assert outcome.never_spent


def test_a_period_drawn_to_never_still_extends_later_convictions_within_it():
    """s.1(1)(b) makes the earlier conviction never spent; its s.6 period still ends when it
    ended, and a later conviction inside that period is extended to it (s.6(4))."""
    first = single("a", DAY, False, D.CUSTODY, length_months=6)  # period ends 2001-07-01
    life = single("b", DAY + dt.timedelta(days=10), False, D.LIFE)
    later = single("c", DAY + dt.timedelta(days=20), False, D.CUSTODY, length_months=1)
    first_out, _, later_out = assess([first, life, later], DAY)
    assert first_out.never_spent
    assert later_out.spent_on == dt.date(2001, 7, 1)


@settings(max_examples=300, deadline=None)
@given(convictions(max_sentences=4), as_of_dates)
def test_a_convictions_spent_date_is_its_latest_sentences(conviction, as_of):
    """ROA s.6(2): a conviction is spent when the last of its sentences is, and never if any
    sentence is excluded from rehabilitation."""
    (whole,) = assess([conviction], as_of)
    parts = [assess([Conviction(f"part{i}", conviction.date, conviction.under_18, (s,),
                                conviction.schedule_18, conviction.specified_offence,
                                conviction.summary_only)], as_of)[0]
             for i, s in enumerate(conviction.sentences)]
    if any(p.never_spent for p in parts):
        assert whole.never_spent and whole.spent_on is None
    elif any(p.spent_on is None for p in parts):
        assert whole.spent_on is None and not whole.spent
    else:
        assert whole.spent_on == max(p.spent_on for p in parts)
    assert whole.spent == all(p.spent for p in parts)
