"""The ranked score behind a match, and its parts (DOMAIN.md, Matching).

Hard constraints are applied before anything is scored (constraints.py and the index filters);
this module only orders eligible pairs. Each part is in [0, 1] so that a person can read it.
"""

from dataclasses import dataclass

# Meaning first, then concrete skills, then how far, then what the person said they want.
# Meaning, skills and the keyword share are chosen on the evaluation's tuning split
# (bench/match_eval.py --tune, README "Matching quality"), separately for a typed search and
# for a whole profile matched with a role: on ESCO's six-skill profiles, skills named in a
# role's description help little beyond the meaning of the words, while a typed search for
# "forklift" is helped a lot by roles that list forklift driving.
WEIGHTS = {"semantic": 0.55, "skills": 0.2, "distance": 0.15, "preferences": 0.10}
# In a typed search, the share of the score that is keyword relevance (the words typed).
KEYWORD_SHARE = 0.1
# "Jobs for you" and matched candidates: a profile and a role, with the profile's headline
# and skills as its keywords.
PROFILE_WEIGHTS = {"semantic": 0.7, "skills": 0.05, "distance": 0.15, "preferences": 0.10}
PROFILE_KEYWORD_SHARE = 0.2
# Whether the skills part also counts the share of the person's skills that the role uses
# (bench/match_eval.py --tune).
SKILLS_BOTH_SIDES = True
# Distance at which the distance part halves.
HALF_SCORE_MILES = 10.0


@dataclass(frozen=True)
class Score:
    total: float
    parts: dict[str, float]
    shared_skills: tuple[str, ...]
    wanted_skills: tuple[str, ...]
    miles: float | None
    # (the role's skill, the person's near-synonym for it) where the person lacks the skill
    # itself but has one close to it (skills.related): counted as half a match.
    near_skills: tuple[tuple[str, str], ...] = ()


def semantic_part(cosine: float) -> float:
    return max(0.0, min(1.0, cosine))


def skills_share(matched, wanted, have, *, both_sides: bool | None = None):
    """The skills part from counts: 0.5 (neutral) plus half the share of the role's skills
    matched, or with `both_sides` a quarter of that share and a quarter of the share of the
    person's skills that found a match. Works on numbers or NumPy arrays (bench/match_eval.py
    scores a whole corpus at once)."""
    import numpy as np

    both_sides = SKILLS_BOTH_SIDES if both_sides is None else both_sides
    wanted = np.asarray(wanted, dtype=float)
    informative = (wanted > 0) & (have > 0)
    of_role = np.divide(matched, wanted, out=np.zeros_like(wanted), where=wanted > 0)
    if both_sides:
        of_person = np.minimum(1.0, np.asarray(matched, dtype=float) / max(have, 1))
        share = 0.5 * of_role + 0.5 * of_person
    else:
        share = of_role
    part = np.where(informative, 0.5 + 0.5 * share, 0.5)
    return float(part) if part.ndim == 0 else part


def skills_part(have: list[str], wanted: list[str]
                ) -> tuple[float, tuple[str, ...], tuple[tuple[str, str], ...]]:
    """How far the person's skills meet the role's (skills_share), a near-synonym counting as
    half a skill: skills count when they match and never against anyone. A skill the taxonomy
    does not recognise is not a skill the person lacks (bench/match_eval.py: scoring a role's
    unrecognised skills as missing made ranking worse than the meaning of the words alone),
    so no match, a role that lists no skills and a person who lists none are all the neutral
    0.5. Returns the part, the shared skills and the near ones."""
    from marketplace.matching import skills

    held = set(have)
    shared = tuple(code for code in wanted if code in held)
    near = tuple((code, close[0]) for code in wanted if code not in held
                 for close in [[r for r in skills.related(code) if r in held]] if close)
    part = skills_share(len(shared) + 0.5 * len(near), len(wanted), len(held))
    return part, shared, near


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
          keyword: float | None = None, search: bool = False) -> Score:
    """`search`: ranking a typed search (WEIGHTS, KEYWORD_SHARE) rather than a profile with a
    role (PROFILE_WEIGHTS, PROFILE_KEYWORD_SHARE). `keyword`: the index's keyword relevance,
    where there were words to match."""
    weights, share = ((WEIGHTS, KEYWORD_SHARE) if search
                      else (PROFILE_WEIGHTS, PROFILE_KEYWORD_SHARE))
    skills, shared, near = skills_part(list(candidate.skills or ()),
                                       list(opportunity.skills or ()))
    parts = {
        "semantic": semantic_part(cosine),
        "skills": skills,
        "distance": distance_part(miles),
        "preferences": preferences_part(candidate, opportunity),
    }
    total = sum(weights[name] * value for name, value in parts.items())
    if keyword is not None:  # the words typed, or the profile's, count too
        parts["keyword"] = keyword
        total = (1 - share) * total + share * keyword
    return Score(total=round(total, 4), parts={k: round(v, 4) for k, v in parts.items()},
                 shared_skills=shared, wanted_skills=tuple(opportunity.skills or ()),
                 miles=miles, near_skills=near)
