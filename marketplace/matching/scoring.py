"""The ranked score behind a match, and its parts (DOMAIN.md, Matching).

Hard constraints are applied before anything is scored (constraints.py and the index filters);
this module only orders eligible pairs. Each part is in [0, 1] so that a person can read it.
"""

from dataclasses import dataclass

# Meaning first, then concrete skills, then how far, then what the person said they want.
WEIGHTS = {"semantic": 0.5, "skills": 0.25, "distance": 0.15, "preferences": 0.10}
# Distance at which the distance part halves.
HALF_SCORE_MILES = 10.0


@dataclass(frozen=True)
class Score:
    total: float
    parts: dict[str, float]
    shared_skills: tuple[str, ...]
    wanted_skills: tuple[str, ...]
    miles: float | None


def semantic_part(cosine: float) -> float:
    return max(0.0, min(1.0, cosine))


def skills_part(have: list[str], wanted: list[str]) -> tuple[float, tuple[str, ...]]:
    """Share of the role's skills the person has. A role that lists none is neutral (0.5)."""
    shared = tuple(code for code in wanted if code in set(have))
    if not wanted:
        return 0.5, shared
    return len(shared) / len(wanted), shared


def distance_part(miles: float | None) -> float:
    """Remote or national roles (miles is None) score as if next door."""
    if miles is None:
        return 1.0
    return 1.0 / (1.0 + miles / HALF_SCORE_MILES)


def preferences_part(candidate, opportunity) -> float:
    checks = []
    if candidate.preferred_sectors:
        checks.append(str(opportunity.sector) in {str(s) for s in candidate.preferred_sectors})
    if candidate.preferred_hours:
        checks.append(opportunity.hours == candidate.preferred_hours)
    return sum(checks) / len(checks) if checks else 0.5


def score(candidate, opportunity, *, cosine: float, miles: float | None,
          keyword: float | None = None) -> Score:
    skills, shared = skills_part(list(candidate.skills or ()), list(opportunity.skills or ()))
    parts = {
        "semantic": semantic_part(cosine),
        "skills": skills,
        "distance": distance_part(miles),
        "preferences": preferences_part(candidate, opportunity),
    }
    total = sum(WEIGHTS[name] * value for name, value in parts.items())
    if keyword is not None:  # a free-text search: the words typed count too
        parts["keyword"] = keyword
        total = 0.8 * total + 0.2 * keyword
    return Score(total=round(total, 4), parts={k: round(v, 4) for k, v in parts.items()},
                 shared_skills=shared, wanted_skills=tuple(opportunity.skills or ()),
                 miles=miles)
