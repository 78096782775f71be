"""The text that is embedded for a candidate and for an opportunity.

Only what the anonymised card may show goes in: skills, qualifications, experience, preferences.
Never names, prison, convictions or anything private — the index is searchable by employers.
"""

from marketplace.types import SECTOR_LABELS, Sector


def _sector_label(value: str) -> str:
    try:
        return SECTOR_LABELS[Sector(value)]
    except ValueError:
        return value


def _join(*parts: str) -> str:
    return "\n".join(p.strip() for p in parts if p and p.strip())


def candidate_text(candidate) -> str:
    """Headline, skills, qualifications, work history and preferred sectors, in that order."""
    qualifications = "; ".join(q.name for q in candidate.qualifications)
    history = "; ".join(
        f"{w.role}{' (in prison)' if w.in_custody else ''}"
        + (f": {w.description}" if w.description else "")
        for w in candidate.work_history
    )
    sectors = ", ".join(_sector_label(s) for s in candidate.preferred_sectors or ())
    return _join(
        candidate.headline,
        f"Skills: {candidate.skills_text}" if candidate.skills_text else "",
        candidate.summary,
        f"Qualifications: {qualifications}" if qualifications else "",
        f"Experience: {history}" if history else "",
        f"Wants to work in: {sectors}" if sectors else "",
    )


def opportunity_text(opportunity) -> str:
    """Title, skills, description, qualifications wanted and sector."""
    return _join(
        opportunity.title,
        f"Skills: {opportunity.skills_text}" if opportunity.skills_text else "",
        opportunity.description,
        f"Qualifications: {opportunity.qualifications_wanted}"
        if opportunity.qualifications_wanted else "",
        f"Sector: {_sector_label(opportunity.sector)}",
    )
