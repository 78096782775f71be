"""Plain-English explanations of a score ("matches forklift and stock control; 4 miles from
LS11"). Built only from the score's parts: never from a hard constraint, so an explanation can
never reveal why someone was excluded."""

from marketplace.matching.scoring import Score


def _list(labels: list[str]) -> str:
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " and " + labels[-1]


def _labels(codes) -> list[str]:
    from marketplace.matching import skills

    return skills.labels(list(codes))


def _distance(score: Score, home: str) -> str | None:
    if score.miles is None:
        return None
    miles = round(score.miles)
    return "in your area" if miles < 1 else f"{miles} mile{'s' if miles != 1 else ''} from {home}"


def _near(score: Score, *, role_first: bool) -> str:
    """"Dry lining (close to Plastering)": one side's skill, then the other's, in the
    taxonomy's words."""
    wanted = _labels(w for w, _ in score.near_skills)
    have = _labels(h for _, h in score.near_skills)
    pairs = zip(wanted, have, strict=True) if role_first else zip(have, wanted, strict=True)
    return _list([f"{first} (close to {second})" for first, second in pairs])


def for_candidate(score: Score, *, home_district: str, remote: bool = False) -> list[str]:
    """Why a role was recommended to a person. Skills are named only where they matched."""
    reasons = []
    if score.shared_skills:
        reasons.append(f"uses your skills: {_list(_labels(score.shared_skills))}")
    if score.near_skills:
        reasons.append(f"needs skills close to yours: {_near(score, role_first=True)}")
    distance = "you can work from home" if remote else _distance(score, home_district)
    if distance:
        reasons.append(distance)
    if score.parts.get("preferences", 0) >= 1:
        reasons.append("the kind of work you asked for")
    if not reasons and score.parts["semantic"] >= 0.4:
        reasons.append("similar to your experience")
    return reasons


def for_employer(score: Score, *, home_district: str) -> list[str]:
    """Why a candidate was matched to a role: skills and distance only."""
    reasons = []
    if score.wanted_skills:
        reasons.append(f"has {len(score.shared_skills)} of {len(score.wanted_skills)} skills "
                       "you asked for"
                       + (f": {_list(_labels(score.shared_skills))}" if score.shared_skills
                          else ""))
    if score.near_skills:
        reasons.append("has skills close to others you asked for: "
                       f"{_near(score, role_first=False)}")
    if score.miles is not None:
        miles = round(score.miles)
        reasons.append(f"lives {miles} mile{'s' if miles != 1 else ''} away ({home_district})")
    if score.parts["semantic"] >= 0.4:
        reasons.append("experience close to the role")
    return reasons
