"""The text that is embedded for a candidate and for an opportunity.

Only what the anonymised card may show goes in: skills, qualifications, experience, preferences.
Never names, prison, convictions or anything private — the index is searchable by employers.

How the text is written changes how well it ranks, so the templates below are compared by
bench/match_eval.py (--templates) and the product uses the best on the tuning sets (README,
Matching quality).
"""

from marketplace.types import SECTOR_LABELS, Sector


def _sector_label(value) -> str:
    try:
        return SECTOR_LABELS[Sector(value)]
    except ValueError:
        return str(value)


def _join(*parts: str) -> str:
    return "\n".join(p.strip() for p in parts if p and p.strip())


def _label(label: str, value: str, labelled: bool) -> str:
    return "" if not value else (f"{label}: {value}" if labelled else value)


def _candidate(candidate, *, labelled: bool) -> str:
    qualifications = "; ".join(q.name for q in candidate.qualifications)
    history = "; ".join(
        f"{w.role}{' (in prison)' if w.in_custody else ''}"
        + (f": {w.description}" if w.description else "")
        for w in candidate.work_history
    )
    sectors = ", ".join(_sector_label(s) for s in candidate.preferred_sectors or ())
    return _join(
        candidate.headline,
        _label("Skills", candidate.skills_text, labelled),
        candidate.summary,
        _label("Qualifications", qualifications, labelled),
        _label("Experience", history, labelled),
        f"Wants to work in: {sectors}" if sectors else "",
    )


def _opportunity(opportunity, *, labelled: bool, sector: bool, title_twice: bool = False
                 ) -> str:
    return _join(
        opportunity.title,
        _label("Skills", opportunity.skills_text, labelled),
        opportunity.description,
        _label("Qualifications", opportunity.qualifications_wanted, labelled),
        f"Sector: {_sector_label(opportunity.sector)}" if sector and opportunity.sector
        else "",
        opportunity.title if title_twice else "",
    )


PROFILE_TEMPLATES = {
    "labelled": lambda c: _candidate(c, labelled=True),
    "plain": lambda c: _candidate(c, labelled=False),
}
OPPORTUNITY_TEMPLATES = {
    "labelled, sector": lambda o: _opportunity(o, labelled=True, sector=True),
    "plain, sector": lambda o: _opportunity(o, labelled=False, sector=True),
    "plain": lambda o: _opportunity(o, labelled=False, sector=False),
    "plain, title twice": lambda o: _opportunity(o, labelled=False, sector=False,
                                                 title_twice=True),
}


# Chosen on the tuning sets (README, Matching quality): plain text, without "Skills:" labels or
# the opportunity's sector, with the role's title again at the end, ranks best.
PROFILE_TEMPLATE = "plain"
OPPORTUNITY_TEMPLATE = "plain, title twice"


def candidate_text(candidate) -> str:
    """Headline, skills, summary, qualifications, work history and preferred sectors, in that
    order."""
    return PROFILE_TEMPLATES[PROFILE_TEMPLATE](candidate)


def opportunity_text(opportunity) -> str:
    """Title, skills, description, qualifications wanted and the title again."""
    return OPPORTUNITY_TEMPLATES[OPPORTUNITY_TEMPLATE](opportunity)


def profile_keywords(candidate) -> str:
    """The words "Jobs for you" matches roles by, beside the profile's meaning: the headline
    (the role the person wants) and their skills, as they wrote them."""
    return _join(candidate.headline, candidate.skills_text).replace("\n", ", ")
