"""When a conviction or caution becomes spent, and which certificates show it.

Pure functions over plain data: no database, no Flask. The rules are those of the
Rehabilitation of Offenders Act 1974 (ROA) as amended by LASPO 2012 and the Police, Crime,
Sentencing and Courts Act 2022 s.193 (in force 28 October 2023; the current periods apply to
convictions before that date too), and the DBS filtering rules in force since 28 November 2020.
Each rule cites its source. `../shared/DISCLOSURE.md` has the worked examples this reproduces.
"""

import calendar
import datetime as dt
import enum
from collections.abc import Iterable
from dataclasses import dataclass, field

from marketplace.types import CheckLevel


class DisposalKind(enum.StrEnum):
    CUSTODY = "custody"
    SUSPENDED = "suspended"
    DTO = "detention_training_order"
    HOSPITAL_ORDER = "hospital_order"
    COMMUNITY_ORDER = "community_order"
    SERVICE_COMMUNITY_ORDER = "service_community_order"
    YOUTH_REHABILITATION_ORDER = "youth_rehabilitation_order"
    REFERRAL_ORDER = "referral_order"
    CONDITIONAL_DISCHARGE = "conditional_discharge"
    BIND_OVER = "bind_over"
    ABSOLUTE_DISCHARGE = "absolute_discharge"
    FINE = "fine"
    MOTORING_FINE = "motoring_fine"
    MOTORING_ENDORSEMENT = "motoring_endorsement"
    PENALTY_POINTS = "penalty_points"
    COMPENSATION_ORDER = "compensation_order"
    DISQUALIFICATION = "disqualification"
    RELEVANT_ORDER = "relevant_order"
    SIMPLE_CAUTION = "simple_caution"
    CONDITIONAL_CAUTION = "conditional_caution"
    YOUTH_CAUTION = "youth_caution"
    YOUTH_CONDITIONAL_CAUTION = "youth_conditional_caution"
    LIFE = "life"
    IPP = "ipp"
    EXTENDED = "extended"
    SERVICE_DETENTION = "service_detention"
    REMOVAL_FROM_SERVICE = "removal_from_service"


D = DisposalKind
CUSTODIAL = {D.CUSTODY, D.SUSPENDED, D.DTO}
# ROA s.5(1): sentences excluded from rehabilitation, whatever their length. An extended
# sentence is excluded only from EXTENDED_EXCLUDED_FROM (see _extended_is_excluded).
INDETERMINATE = {D.LIFE, D.IPP}
# ROA s.5(1)(f) as amended: extended sentences under the Criminal Justice Act 2003 (ss.226A,
# 226B, 227, 228) or the Sentencing Code (ss.254, 266, 279) are excluded; the 2003 Act's
# provisions came into force on 4 April 2005. An earlier extended sentence (PCC(S)A 2000
# s.85) counts by its length like other custody (DISCLOSURE.md s.1, Details).
EXTENDED_EXCLUDED_FROM = dt.date(2005, 4, 4)
# Orders whose period is "the last day on which the order has effect" (ROA s.5(2), table).
# A service or overseas community order (Armed Forces Act 2006) is a "community or youth
# rehabilitation order" in the table (ROA s.5(8)), so it counts like a community order.
ORDERS = {D.HOSPITAL_ORDER, D.COMMUNITY_ORDER, D.SERVICE_COMMUNITY_ORDER,
          D.YOUTH_REHABILITATION_ORDER, D.REFERRAL_ORDER, D.CONDITIONAL_DISCHARGE, D.BIND_OVER,
          D.DISQUALIFICATION, D.RELEVANT_ORDER}
# ROA s.6(5): disqualifications and other "relevant orders" do not extend other convictions.
NON_EXTENDING = {D.DISQUALIFICATION, D.RELEVANT_ORDER}
CAUTIONS = {D.SIMPLE_CAUTION, D.CONDITIONAL_CAUTION, D.YOUTH_CAUTION,
            D.YOUTH_CONDITIONAL_CAUTION}
NEEDS_LENGTH = CUSTODIAL | {D.SERVICE_DETENTION}
PENALTY_POINTS_UNCERTAIN = (
    "Penalty points: sources differ. The GOV.UK checker uses 3 years from conviction; an "
    "endorsement in the ROA s.5(2) table is 5 years (2½ if under 18). The longer is used, so "
    "nobody under-discloses")
ORDER_WITHOUT_END_MONTHS = 24  # ROA s.5(3): an order with no end date
ORDER_END_UNKNOWN = ("ROA s.5(2)/(3): the person does not know whether the order has an end date, "
                     "so when it is spent cannot be worked out")
ORDER_UNTIL_FURTHER_ORDER = ("ROA s.5(2) table B: an order made until further order has effect "
                             "until a court ends it, so it is not spent while it lasts")


class OrderEnd(enum.StrEnum):
    """How an order ends, as the person answered "Does the order have an end date?". A record
    stored before this question was asked has None and reads as before."""

    DATE = "date"  # a fixed end: end_date or the length
    UNTIL_FURTHER_ORDER = "until_further_order"  # until a court ends it (ROA s.5(2))
    NO_PROVISION = "no_provision"  # the order says nothing about its end (ROA s.5(3))
    UNKNOWN = "unknown"  # the person does not know: uncertain, never s.5(3) by default


EXTENDED_LENGTH_UNKNOWN = ("ROA s.5(2): an extended sentence before 4 April 2005 (PCC(S)A 2000 "
                           "s.85) counts by its length, and no length was given")


@dataclass(frozen=True)
class Sentence:
    """One sentence (or caution) given for a conviction."""

    disposal: DisposalKind
    length_months: int | None = None
    length_days: int | None = None
    end_date: dt.date | None = None  # order ends / conditions end / compensation paid
    order_end: OrderEnd | None = None  # for ORDERS only; None: not asked (older records)
    # The day the sentence was passed, where later than the conviction (sentencing adjourned
    # for reports). None: the conviction date. Custody runs from it, and it decides whether an
    # extended sentence falls under the CJA 2003 (_extended_is_excluded).
    sentence_date: dt.date | None = None


@dataclass(frozen=True)
class Conviction:
    """One conviction (one date, one age, one or more offences) with its sentences, or one
    caution, as held in the record. ROA s.6(2): it is spent when its last sentence is."""

    id: str
    date: dt.date  # conviction or caution date
    under_18: bool  # age at that date
    sentences: tuple[Sentence, ...]
    schedule_18: bool = False  # Sentencing Code Sch. 18 offence
    specified_offence: bool = False  # on the DBS list of specified offences
    summary_only: bool = False

    @property
    def disposals(self) -> set[DisposalKind]:
        return {s.disposal for s in self.sentences}

    @property
    def is_caution(self) -> bool:
        return bool(self.disposals & CAUTIONS)


def single(id: str, date: dt.date, under_18: bool, disposal: DisposalKind, *,
           schedule_18: bool = False, specified_offence: bool = False,
           summary_only: bool = False, **sentence) -> Conviction:
    """A conviction with one sentence: most records, and every worked example."""
    return Conviction(id, date, under_18, (Sentence(disposal, **sentence),),
                      schedule_18=schedule_18, specified_offence=specified_offence,
                      summary_only=summary_only)


@dataclass(frozen=True)
class Outcome:
    id: str
    spent_on: dt.date | None  # first day it is spent; None: not known or never
    never_spent: bool
    spent: bool
    protected: bool
    drawn_by: tuple[str, ...]
    shows_on: frozenset[CheckLevel]
    reasons: tuple[str, ...] = field(default_factory=tuple)
    # The answer rests on something the person did not know: the page says "We cannot be
    # sure" and what to check, rather than only a date.
    uncertain: bool = False
    why: str = ""  # when it is spent, in plain words with the source (_Period.why)


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar months, same day of the month, clamped to a shorter month's end. This
    reproduces GOV.UK's worked example (DISCLOSURE.md s.1, Details)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class LengthOverMaximum(ValueError):
    """A length longer than the law allows for that sentence, so no date is worked out. The
    message is plain words to show the person; `str(error)` is "length_months: <message>",
    naming the field as assess's other input errors do."""

    def __init__(self, message: str):
        self.field = "length_months"
        self.message = message
        super().__init__(f"{self.field}: {message}")


# Statutory maximum terms, in months, with the message shown when a length is over one.
MAXIMUM_MONTHS = {
    # Sentencing Code s.236(1) (before 1 December 2020, PCC(S)A 2000 s.101(1); since 28 June
    # 2022 as amended by PCSC Act 2022 s.158, "at least 4 months but must not exceed 24").
    D.DTO: (24, "a detention and training order can be no longer than 24 months"),
    # Sentencing Code s.277 (before 1 December 2020, CJA 2003 s.189(1) as amended by LASPO 2012
    # s.68): the term of a suspended sentence is at most 2 years.
    D.SUSPENDED: (24, "a suspended sentence can be no longer than 2 years (24 months)"),
    # Sentencing Code: a community order and a youth rehabilitation order end no more than 3
    # years after they are made; an order for conditional discharge is for a period of not
    # more than 3 years. (A referral order is not limited here: DISCLOSURE.md's worked example
    # 12 has one of 2 years.)
    D.COMMUNITY_ORDER: (36, "a community order can last no longer than 3 years (36 months)"),
    D.YOUTH_REHABILITATION_ORDER: (36, "a youth rehabilitation order can last no longer than "
                                       "3 years (36 months)"),
    D.CONDITIONAL_DISCHARGE: (36, "a conditional discharge can last no longer than 3 years "
                                  "(36 months)"),
    # Armed Forces Act 2006: service detention is for at most 2 years.
    D.SERVICE_DETENTION: (24, "service detention can be no longer than 2 years (24 months)"),
}


def check_maximum_length(disposal: DisposalKind, length_months: int | None,
                         length_days: int | None = None) -> None:
    """Raises LengthOverMaximum when the length is over the statutory maximum for the
    disposal (MAXIMUM_MONTHS). Call it on input before it is stored; assess does not, so a
    record stored before these limits still gets its answer, worked out by its length."""
    if disposal not in MAXIMUM_MONTHS:
        return
    limit, message = MAXIMUM_MONTHS[disposal]
    months, days = length_months or 0, length_days or 0
    # Days count as at most 31 to a month, so a length that is within the limit in every
    # month is never refused.
    if months > limit or days > (limit - months) * 31:
        raise LengthOverMaximum(message)


def _validate(c: Conviction) -> None:
    if not c.sentences:
        raise ValueError("sentences: enter at least one sentence")
    if c.is_caution and len(c.sentences) > 1:
        raise ValueError("sentences: a caution is given on its own, with no sentence beside it")
    for s in c.sentences:
        if s.disposal in NEEDS_LENGTH and not s.length_months and not s.length_days:
            raise ValueError(f"length_months: enter the length of the {s.disposal.value} "
                             "sentence")
        for name in ("length_months", "length_days"):
            value = getattr(s, name)
            if value is not None and value < 0:
                raise ValueError(f"{name}: the length cannot be negative")
        if s.disposal in ORDERS and s.order_end is OrderEnd.DATE and s.end_date is None \
                and not s.length_months and not s.length_days:
            raise ValueError("end_date: enter the date the order ends")
        if s.end_date is not None and s.end_date < c.date:
            raise ValueError("end_date: the end date cannot be before the date of conviction")
        if s.sentence_date is not None and s.sentence_date < c.date:
            raise ValueError("sentence_date: a sentence cannot be passed before the conviction")


@dataclass
class _Period:
    conviction: Conviction
    sentence: Sentence
    spent_on: dt.date | None  # end of the rehabilitation period (s.5, extended by s.6(4))
    never: bool  # an excluded sentence: no rehabilitation period at all (s.5(1))
    reasons: list[str]
    drawn_by: list[str] = field(default_factory=list)
    # Never spent because an excluded sentence was imposed during the period (s.1(1)(b)).
    # The period itself still ends, and still extends convictions within it (s.6(4)).
    drawn_never: bool = False
    uncertain: bool = False
    # When it is spent, in plain words with its source, for a person to read after the date:
    # "12 months after the order ends (ROA s.5(2))". Empty where there is no date to explain.
    why: str = ""

    @property
    def never_spent(self) -> bool:
        return self.never or self.drawn_never


def _extended_is_excluded(c: Conviction, s: Sentence) -> bool:
    """ROA s.5(1)(f): an extended sentence imposed under the CJA 2003 or the Sentencing Code,
    i.e. on or after 4 April 2005, is excluded from rehabilitation; an earlier one (PCC(S)A
    2000 s.85) is not. What counts is the day the sentence was passed; without one the
    conviction date stands in, which errs on the safe side: a conviction after 4 April 2005
    may still have had an s.85 sentence for an older offence, and that is called never spent
    (over-disclosure, not under-)."""
    return (s.sentence_date or c.date) >= EXTENDED_EXCLUDED_FROM


def _own_period(c: Conviction, s: Sentence) -> _Period:
    """The rehabilitation period of one sentence of a conviction on its own (ROA s.5)."""
    young = c.under_18
    if s.disposal in INDETERMINATE:
        return _Period(c, s, None, True, ["ROA s.5(1): life and IPP sentences are never spent"])
    if s.disposal is D.EXTENDED and _extended_is_excluded(c, s):
        return _Period(c, s, None, True, ["ROA s.5(1)(f): an extended sentence under the "
                                          "Criminal Justice Act 2003 or the Sentencing Code "
                                          "(from 4 April 2005) is never spent"])
    if s.disposal is D.EXTENDED and not s.length_months and not s.length_days:
        # Over-disclose rather than guess: without its length an older extended sentence has
        # no period we can compute, so it is treated as not spent (spent_on None).
        return _Period(c, s, None, False, [EXTENDED_LENGTH_UNKNOWN])
    if s.disposal in CUSTODIAL or s.disposal is D.EXTENDED:
        # An extended sentence before 4 April 2005 (PCC(S)A 2000 s.85) falls through to here
        # and counts by its whole length, custodial term plus extension, like other custody.
        start = s.sentence_date or c.date
        months = s.length_months or 0
        end = add_months(start, months) + dt.timedelta(days=s.length_days or 0)
        total_days = (end - start).days
        one_year = (add_months(start, 12) - start).days
        four_years = (add_months(start, 48) - start).days
        if total_days > four_years and c.schedule_18 and s.disposal is not D.SUSPENDED:
            return _Period(c, s, None, True, [
                "ROA s.5(1)(a) as amended by PCSC Act 2022 s.193: over 4 years for a Schedule "
                "18 offence is never spent"])
        if total_days <= one_year:
            buffer, rule = (6, "6 months") if young else (12, "1 year")
        elif total_days <= four_years:
            buffer, rule = (24, "2 years") if young else (48, "4 years")
        else:
            buffer, rule = (42, "3½ years") if young else (84, "7 years")
        return _Period(c, s, add_months(end, buffer), False,
                       [f"ROA s.5(2) table A: custodial sentence ends {end.isoformat()}, "
                        f"then {rule}"],
                       why=f"{rule} after the sentence ends (ROA s.5(2))")
    if s.disposal in (D.FINE, D.MOTORING_FINE):
        buffer = 6 if young else 12
        return _Period(c, s, add_months(c.date, buffer), False,
                       [f"ROA s.5(2) table B: fine, {buffer} months from conviction"],
                       why=f"{buffer} months after the conviction (ROA s.5(2))")
    if s.disposal is D.MOTORING_ENDORSEMENT:
        buffer = 30 if young else 60
        return _Period(c, s, add_months(c.date, buffer), False,
                       [f"ROA s.5(2) and Sch. 2: endorsement, {buffer} months from conviction"],
                       why=f"{buffer} months after the conviction (ROA s.5(2))")
    if s.disposal is D.PENALTY_POINTS:
        # Sources differ (PENALTY_POINTS_UNCERTAIN): adults 60 months (the endorsement, ROA
        # s.5(2) table B and Sch. 2), under 18 36 months (the checker's 3 years beats 2½).
        buffer = max(36, 30 if young else 60)
        return _Period(c, s, add_months(c.date, buffer), False,
                       [f"{PENALTY_POINTS_UNCERTAIN}: {buffer} months from conviction"],
                       uncertain=True, why=f"{buffer} months after the conviction (ROA s.5(2))")
    if s.disposal is D.SERVICE_DETENTION:
        # ROA s.5(2) Table A, as substituted by LASPO 2012 s.139: a sentence of service
        # detention (Armed Forces Act 2006): 1 year (6 months if under 18) beginning with the
        # day on which the sentence is completed.
        end = add_months(s.sentence_date or c.date, s.length_months or 0) + dt.timedelta(
            days=s.length_days or 0)
        buffer, rule = (6, "6 months") if young else (12, "1 year")
        return _Period(c, s, add_months(end, buffer), False,
                       [f"ROA s.5(2) Table A (LASPO 2012 s.139): service detention ends "
                        f"{end.isoformat()}, then {rule}"],
                       why=f"{rule} after the detention ends (ROA s.5(2))")
    if s.disposal is D.REMOVAL_FROM_SERVICE:
        # ROA s.5(2) Table A, as substituted by LASPO 2012 s.139: removal from His Majesty's
        # service (dismissal, Armed Forces Act 2006): 1 year (6 months if under 18) beginning
        # with the date of conviction.
        buffer = 6 if young else 12
        return _Period(c, s, add_months(c.date, buffer), False,
                       [f"ROA s.5(2) Table A (LASPO 2012 s.139): removal from His Majesty's "
                        f"service, {buffer} months from conviction"],
                       why=f"{buffer} months after the conviction (ROA s.5(2))")
    if s.disposal is D.COMPENSATION_ORDER:
        if s.end_date is None:
            return _Period(c, s, None, False, ["ROA s.5(2) table B: a compensation order is "
                                               "spent when paid in full; no payment date yet"])
        return _Period(c, s, s.end_date, False, ["ROA s.5(2) table B: spent when paid in full"],
                       why="when it was paid in full (ROA s.5(2))")
    if s.disposal in ORDERS and s.order_end is OrderEnd.UNTIL_FURTHER_ORDER:
        # ROA s.5(2) table B: the period is "the last day on which the order has effect", and
        # an order "until further order" has effect until a court ends it. Never s.5(3).
        if s.end_date is not None:
            return _Period(c, s, s.end_date, False, [
                "ROA s.5(2) table B: an order until further order, ended by another order on "
                f"{s.end_date.isoformat()}"],
                why="when another order ended it (ROA s.5(2))")
        return _Period(c, s, None, False, [ORDER_UNTIL_FURTHER_ORDER])
    if s.disposal in ORDERS and s.order_end is OrderEnd.UNKNOWN and s.end_date is None \
            and not s.length_months and not s.length_days:
        # Not s.5(3) by default: that applies only where the order makes no provision for its
        # end. Treated as not spent (over-disclosure, never under-) and marked uncertain.
        return _Period(c, s, None, False, [ORDER_END_UNKNOWN], uncertain=True)
    if s.disposal in ORDERS and s.order_end is OrderEnd.NO_PROVISION:
        return _Period(c, s, add_months(c.date, ORDER_WITHOUT_END_MONTHS), False,
                       ["ROA s.5(3): the order makes no provision for when it ends, so 24 "
                        "months from conviction"],
                       why="24 months after the conviction, as the order does not say when it "
                           "ends (ROA s.5(3))")
    if s.disposal in ORDERS:
        if s.end_date is not None:
            end, rule = s.end_date, "the last day the order has effect"
            why = "the day the order ends (ROA s.5(2))"
        elif s.length_months or s.length_days:
            end = add_months(c.date, s.length_months or 0) + dt.timedelta(
                days=s.length_days or 0)
            rule = "the last day the order has effect"
            why = "the day the order ends (ROA s.5(2))"
        else:
            end = add_months(c.date, ORDER_WITHOUT_END_MONTHS)
            rule = "ROA s.5(3): no end date, so 24 months from conviction"
            why = "24 months after the conviction, as no end date was given (ROA s.5(3))"
        return _Period(c, s, end, False, [f"ROA s.5(2) table B: {rule}"], why=why)
    if s.disposal in (D.CONDITIONAL_CAUTION, D.YOUTH_CONDITIONAL_CAUTION):
        # ROA Sch. 2 para 1(1)(a): 3 months from the caution, or when the conditions end if
        # earlier.
        three_months = add_months(c.date, 3)
        end = min(three_months, s.end_date) if s.end_date else three_months
        return _Period(c, s, end, False, ["ROA Sch. 2 para 1: conditional caution, 3 months or "
                                          "when the conditions end if earlier"],
                       why="3 months after the caution, or sooner if the conditions ended "
                           "sooner (ROA Schedule 2)")
    # Absolute discharge, simple and youth cautions, and anything not in the table: spent at
    # once (ROA s.5(4); Sch. 2 para 1(1)(b)).
    return _Period(c, s, c.date, False, ["ROA s.5(4) / Sch. 2: spent immediately"],
                   why="straight away (ROA s.5(4))")


def _unspent_at(period: _Period, day: dt.date) -> bool:
    return period.never or period.spent_on is None or day < period.spent_on


DRAWN_WHY = ("the same day as another conviction, because one came while the other was not "
             "yet spent (ROA s.6(4))")
OFFICIAL_CHECKER_DIFFERS = "The official GOV.UK checker does not apply this rule; the law does."


def _draw(periods: list[_Period]) -> None:
    """ROA s.6(4): a conviction during another's rehabilitation period makes neither end
    before the other. Works on the periods of single sentences, so that s.6(5) can leave out
    a relevant order while its conviction's other sentences still count; sentences of one
    conviction are not drawn into each other (s.6(2) takes the latest: _combine). Processed
    in date order, so chains carry through."""
    done: list[_Period] = []
    # Convictions on the same day each fall in the other's period. Taking never-spent ones last
    # within a day lets them draw the others (s.6(4)), whatever order the records are in.
    for later in sorted(periods, key=lambda p: (p.conviction.date, p.never, p.conviction.id)):
        lc = later.conviction
        if lc.is_caution:  # ROA Sch. 2: cautions never drag and are never dragged
            done.append(later)
            continue
        overlapping = [e for e in done if not e.conviction.is_caution
                       and e.conviction.id != lc.id and _unspent_at(e, lc.date)]
        # Earlier periods that extend the later one: not never-spent ones (an earlier excluded
        # sentence does not stop later ones being spent), not relevant orders (s.6(5)), and
        # not when the later conviction is summary-only: s.6(6)(a) disregards it for
        # s.6(4)(a), so s.6(4) does not apply to the pair at all, in either direction.
        for earlier in overlapping:
            if earlier.never or earlier.sentence.disposal in NON_EXTENDING:
                continue
            if later.never:
                continue
            if lc.summary_only:
                if earlier.spent_on is None or (later.spent_on is not None
                                                and earlier.spent_on > later.spent_on):
                    later.reasons.append(
                        f"ROA s.6(6): summary-only, so not extended by earlier conviction "
                        f"{earlier.conviction.id}. {OFFICIAL_CHECKER_DIFFERS}")
                continue
            if earlier.spent_on is None:
                later.spent_on = None
                later.uncertain = later.uncertain or earlier.uncertain
            elif later.spent_on is not None and earlier.spent_on > later.spent_on:
                later.spent_on = earlier.spent_on
                later.why = DRAWN_WHY
                later.reasons.append(f"ROA s.6(4): extended by earlier conviction "
                                     f"{earlier.conviction.id}")
        # The later conviction extends the earlier ones, unless it is a relevant order
        # (s.6(5)) or a summary-only conviction (s.6(6)).
        for earlier in overlapping:
            if earlier.never:
                continue
            if later.sentence.disposal in NON_EXTENDING:
                continue
            if lc.summary_only:
                earlier.reasons.append(
                    f"ROA s.6(6): later summary-only conviction {lc.id} does not extend this. "
                    f"{OFFICIAL_CHECKER_DIFFERS}")
                continue
            if later.never:
                earlier.drawn_never = True
                earlier.reasons.append(f"ROA s.6(4): a never-spent sentence ({lc.id}) was "
                                       "imposed during this period, so it is never spent")
                earlier.drawn_by.append(lc.id)
            elif later.spent_on is None:
                earlier.spent_on = None
                earlier.uncertain = earlier.uncertain or later.uncertain
                earlier.drawn_by.append(lc.id)
            elif earlier.spent_on is not None and later.spent_on > earlier.spent_on:
                earlier.spent_on = later.spent_on
                earlier.why = DRAWN_WHY
                earlier.reasons.append(f"ROA s.6(4): extended by later conviction {lc.id}")
                earlier.drawn_by.append(lc.id)
        done.append(later)


def filtered_from(c: Conviction) -> dt.date | None:
    """DBS filtering rules since 28 November 2020 (Police Act 1997 s.113A(6), as amended by
    SI 2020/1364): the first day a spent, non-specified record is left off standard and
    enhanced certificates: after 11 years (5½ if under 18) for a non-custodial conviction, 6
    years (2 if under 18) for a caution. `date.min` for a youth caution (never disclosed
    automatically) and a youth conditional caution (left off once spent); None for a record
    that is never filtered."""
    # Since 28 November 2020 (SI 2020/1364, amending Police Act 1997 s.113A(6)) youth cautions,
    # reprimands and warnings are not disclosed automatically, whatever the offence: checked
    # before the specified-offence rule, which must not bring them back.
    if D.YOUTH_CAUTION in c.disposals:
        return dt.date.min
    # A youth conditional caution is disclosed only while unspent (ROA Sch. 2 para 1 for when
    # it is spent; DBS filtering rules since 28 November 2020): from the day it is spent it
    # shows on no certificate, specified offence or not.
    if D.YOUTH_CONDITIONAL_CAUTION in c.disposals:
        return dt.date.min
    if c.specified_offence:
        return None
    if c.is_caution:
        return add_months(c.date, 24 if c.under_18 else 72)
    if c.disposals & (CUSTODIAL | INDETERMINATE | {D.EXTENDED}):
        return None  # custodial sentences, suspended included, are never filtered
    if D.SERVICE_DETENTION in c.disposals:
        # Treated as custodial, so never filtered: on the safe side (over-disclosure) until
        # someone checks whether the filtering rules count service detention as custody.
        return None
    return add_months(c.date, 66 if c.under_18 else 132)


def _combine(c: Conviction, periods: list[_Period]) -> _Period:
    """ROA s.6(2): a conviction with several sentences is spent when the last of them is, and
    never if any of them is excluded from rehabilitation (s.5(1))."""
    if len(periods) == 1:
        return periods[0]
    never = [p for p in periods if p.never_spent]
    open_ended = [p for p in periods if p.spent_on is None]
    if never:
        decisive = never
    elif open_ended:
        # An order that certainly lasts until a court ends it decides, even beside a sentence
        # whose end the person does not know: it is not spent either way.
        decisive = [p for p in open_ended if not p.uncertain] or open_ended
    else:
        last = max(p.spent_on for p in periods)
        decisive = [p for p in periods if p.spent_on == last]
    reasons = [r for p in decisive for r in p.reasons]
    reasons.append(f"ROA s.6(2): {len(periods)} sentences; the conviction is spent when the "
                   "last of them is")
    drawn_by = list(dict.fromkeys(i for p in periods for i in p.drawn_by))
    return _Period(c, decisive[0].sentence, None if never or open_ended else decisive[0].spent_on,
                   any(p.never for p in periods), reasons, drawn_by,
                   drawn_never=any(p.drawn_never for p in periods),
                   uncertain=all(p.uncertain for p in decisive), why=decisive[0].why)


def _protected(period: _Period, spent: bool, as_of: dt.date) -> bool:
    """Filtered: spent, and past the day the filtering rules leave it off (filtered_from)."""
    day = filtered_from(period.conviction)
    return spent and day is not None and as_of >= day


def assess(record: Iterable[Conviction], as_of: dt.date) -> list[Outcome]:
    """Outcomes in the order given, one per conviction. Raises ValueError naming the field for
    impossible input."""
    convictions = list(record)
    for c in convictions:
        _validate(c)
    by_sentence = [[_own_period(c, s) for s in c.sentences] for c in convictions]
    _draw([p for periods in by_sentence for p in periods])
    outcomes = []
    for c, periods in zip(convictions, by_sentence, strict=True):
        period = _combine(c, periods)
        spent = not period.drawn_never and not _unspent_at(period, as_of)
        protected = _protected(period, spent, as_of)
        shows = set()
        if not spent:
            # DISCLOSURE.md s.2: basic (and an ordinary job, if asked) shows unspent only.
            shows |= {CheckLevel.NONE, CheckLevel.BASIC}
        if not protected:
            shows |= {CheckLevel.STANDARD, CheckLevel.ENHANCED, CheckLevel.ENHANCED_BARRED}
        outcomes.append(Outcome(
            id=c.id, spent_on=None if period.never_spent else period.spent_on,
            never_spent=period.never_spent, spent=spent, protected=protected,
            drawn_by=tuple(dict.fromkeys(period.drawn_by)), shows_on=frozenset(shows),
            reasons=tuple(dict.fromkeys(period.reasons)), uncertain=period.uncertain,
            why=period.why))
    return outcomes


def disclosable(outcome: Outcome, level: CheckLevel) -> bool:
    return level in outcome.shows_on
