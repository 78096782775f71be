"""Plain English about convictions and checks, for readers who find reading hard: short
sentences, everyday words, the date first."""

from marketplace.disclosure import calculator
from marketplace.disclosure.calculator import DisposalKind, Outcome
from marketplace.types import CheckLevel

D = DisposalKind
DISPOSAL_LABELS = {
    D.CUSTODY: "Prison sentence", D.SUSPENDED: "Suspended prison sentence",
    D.DTO: "Detention and training order", D.HOSPITAL_ORDER: "Hospital order",
    D.COMMUNITY_ORDER: "Community order",
    D.SERVICE_COMMUNITY_ORDER: "Service or overseas community order (armed forces)",
    D.YOUTH_REHABILITATION_ORDER: "Youth rehabilitation order",
    D.REFERRAL_ORDER: "Referral order", D.CONDITIONAL_DISCHARGE: "Conditional discharge",
    D.BIND_OVER: "Bind over", D.ABSOLUTE_DISCHARGE: "Absolute discharge", D.FINE: "Fine",
    D.MOTORING_FINE: "Motoring fine", D.MOTORING_ENDORSEMENT: "Motoring endorsement",
    D.PENALTY_POINTS: "Penalty points (driving)",
    D.SERVICE_DETENTION: "Service detention (armed forces)",
    D.REMOVAL_FROM_SERVICE: "Dismissal from the armed forces",
    D.COMPENSATION_ORDER: "Compensation order", D.DISQUALIFICATION: "Disqualification",
    D.RELEVANT_ORDER: "Restraining or similar order", D.SIMPLE_CAUTION: "Caution",
    D.CONDITIONAL_CAUTION: "Conditional caution",
    D.YOUTH_CAUTION: "Youth caution, reprimand or final warning",
    D.YOUTH_CONDITIONAL_CAUTION: "Youth conditional caution", D.LIFE: "Life sentence",
    D.IPP: "Indeterminate sentence (IPP)", D.EXTENDED: "Extended sentence",
}
CHECK_WORDS = {
    CheckLevel.NONE: "a job with no criminal record check",
    CheckLevel.BASIC: "a job with a basic check",
    CheckLevel.STANDARD: "a job with a standard check",
    CheckLevel.ENHANCED: "a job with an enhanced check",
    CheckLevel.ENHANCED_BARRED: "a job with an enhanced check and barred list check",
}


def _date(day) -> str:
    return f"{day.day} {day:%B %Y}"


def disposal_label(kind: DisposalKind) -> str:
    return DISPOSAL_LABELS[kind]


def sentence_words(sentence: calculator.Sentence) -> str:
    """One sentence as a person would say it: "Prison sentence, 6 months"."""
    words = [DISPOSAL_LABELS[sentence.disposal]]
    if sentence.length_months:
        words.append(f"{sentence.length_months} month{'s' if sentence.length_months > 1 else ''}")
    if sentence.order_end is calculator.OrderEnd.UNTIL_FURTHER_ORDER:
        words.append(f"ended {_date(sentence.end_date)}" if sentence.end_date
                     else "until a court ends it")
    elif sentence.end_date:
        words.append(f"ended {_date(sentence.end_date)}")
    if sentence.sentence_date:
        words.append(f"given {_date(sentence.sentence_date)}")
    return ", ".join(words)


def sentences_words(sentences) -> str:
    """All of a conviction's sentences in one line, for an employer or a short list."""
    return "; ".join(sentence_words(s) for s in sentences)


def _length_unknown(outcome: Outcome) -> bool:
    return calculator.EXTENDED_LENGTH_UNKNOWN in outcome.reasons


# An extended sentence before 4 April 2005 without a length: the calculator cannot give a date
# and treats it as not spent, so nobody under-discloses (calculator.EXTENDED_LENGTH_UNKNOWN).
LENGTH_UNKNOWN_WORDS = ("We cannot be sure when it will be spent. It was an extended sentence "
                        "given before 4 April 2005, so it depends on how long the whole "
                        "sentence was. Add the length to find out.")


# ROA s.5(2)/(3): the person did not know whether the order has an end date. No date is given
# (s.5(3) 24 months applies only to an order that makes no provision for its end).
ORDER_END_UNKNOWN_WORDS = ("We cannot be sure when it will be spent. It depends on whether the "
                           "order has an end date. Until you know, treat it as not spent. "
                           "Check the court papers or ask the court that made the order.")
# ROA s.5(2): an order "until further order" lasts until a court ends it.
UNTIL_FURTHER_ORDER_WORDS = ("The order lasts until a court ends it. It is not spent while "
                             "the order lasts.")


def _not_spent_yet(outcome: Outcome) -> str:
    if outcome.spent_on:
        return f"It will be spent on {_date(outcome.spent_on)}."
    if _length_unknown(outcome):
        return LENGTH_UNKNOWN_WORDS
    if calculator.ORDER_END_UNKNOWN in outcome.reasons:
        return ORDER_END_UNKNOWN_WORDS
    if calculator.ORDER_UNTIL_FURTHER_ORDER in outcome.reasons:
        return UNTIL_FURTHER_ORDER_WORDS
    if outcome.uncertain:
        return ("We cannot be sure when it will be spent. It depends on another conviction "
                "whose end we do not know. Until you know, treat it as not spent.")
    if outcome.drawn_by:
        return "It will be spent when a later conviction is spent."
    return "It will be spent when it is paid in full."


# Penalty points: the sources differ, so the later date is given (calculator.PENALTY_POINTS_
# UNCERTAIN).
PENALTY_POINTS_WORDS = ("We cannot be sure of this date. For penalty points, the official "
                        "GOV.UK checker and the law’s table for an endorsement give different "
                        "times. We give the later date, so you do not tell an employer too "
                        "little. Check your driving licence record or ask a legal adviser.")


def spent_sentence(outcome: Outcome) -> str:
    if outcome.never_spent:
        return "This will never become spent."
    if outcome.spent_on is None:
        return "This is not spent yet. " + _not_spent_yet(outcome)
    # The date, then the rule and its source: "spent on 1 March 2027: 12 months after the
    # order ends (ROA s.5(2))".
    why = f": {outcome.why}" if outcome.why else ""
    if outcome.spent:
        words = f"This became spent on {_date(outcome.spent_on)}{why}."
    else:
        words = f"This will become spent on {_date(outcome.spent_on)}{why}."
    if any(reason.startswith(calculator.PENALTY_POINTS_UNCERTAIN) for reason in outcome.reasons):
        words += " " + PENALTY_POINTS_WORDS
    return words


def employer_status(outcome: Outcome) -> str:
    """What an employer is told about a conviction it may see (stage 3)."""
    return "Spent, but shown on this check" if outcome.spent else "Not spent"


def summary(outcome: Outcome, level: CheckLevel) -> str:
    """One short paragraph: when it is spent, and whether to tell an employer at this level."""
    tell = level in outcome.shows_on
    job = CHECK_WORDS[level]
    if tell:
        advice = f"For {job}, you need to tell the employer about it if they ask."
    else:
        advice = f"For {job}, you do not need to tell the employer about it."
    parts = [spent_sentence(outcome), advice]
    if outcome.protected and level in (CheckLevel.STANDARD, CheckLevel.ENHANCED,
                                       CheckLevel.ENHANCED_BARRED):
        parts.append("It is filtered: it will not appear on a standard or enhanced check.")
    # ROA s.6(6): the two directions of the summary-only rule (calculator._draw).
    if any(reason.startswith("ROA s.6(6): later summary-only") for reason in outcome.reasons):
        parts.append("A later offence that could only be tried in a magistrates’ court did "
                     "not make this last longer. The official GOV.UK checker does not apply "
                     "this rule; the law does (Rehabilitation of Offenders Act, section 6(6)).")
    elif outcome.drawn_by:
        parts.append("A later conviction made this last longer.")
    if any(reason.startswith("ROA s.6(6): summary-only") for reason in outcome.reasons):
        parts.append("This offence could only be tried in a magistrates’ court, so an earlier "
                     "conviction did not make it last longer. The official GOV.UK checker "
                     "does not apply this rule; the law does (Rehabilitation of Offenders Act, "
                     "section 6(6)).")
    return " ".join(parts)


# Certificates that can show spent records (DBS filtering rules): the rest show unspent only.
FULL_CHECKS = (CheckLevel.STANDARD, CheckLevel.ENHANCED, CheckLevel.ENHANCED_BARRED)


def what_a_check_shows(level: CheckLevel) -> list[str]:
    """The rule for a role at `level`, in short sentences: what its employer will and will not
    see. The person reads this before they agree to share."""
    job = CHECK_WORDS[level]
    if level in FULL_CHECKS:
        return [f"This is {job}.",
                "The employer will see convictions and cautions that are not spent yet.",
                "They will also see spent ones that this check still shows.",
                "They will not see ones that are filtered. Filtered means taken off checks "
                "after enough time has passed."]
    return [f"This is {job}.",
            "The employer will see convictions and cautions that are not spent yet.",
            "They will not see spent ones."]


def why_shown(conviction, outcome: Outcome, level: CheckLevel) -> str:
    """Why a role at `level` shows this record to the employer (it must be one it shows:
    calculator.disclosable). `conviction` is the decoded record (disclosure.records)."""
    if outcome.never_spent:
        return "It will never be spent."
    if not outcome.spent:
        return "It is not spent yet. " + _not_spent_yet(outcome)
    check = CHECK_WORDS[level].removeprefix("a job with ")
    filtered = calculator.filtered_from(conviction.for_calculator("shown"))
    if conviction.specified_offence:
        return (f"It is spent. But it is on the list of offences that {check} always "
                "shows.")
    if filtered is None:
        return (f"It is spent. But it had a prison sentence (or a suspended one), and {check} "
                "always shows those.")
    return f"It is spent. But {check} shows it until {_date(filtered)}."
