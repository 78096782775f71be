"""The candidates data layer."""

import sqlalchemy as sa
from flask import abort

from marketplace.extensions import db
from marketplace.models import Candidate, User


def for_user(user: User) -> Candidate:
    candidate = db.session.scalar(sa.select(Candidate).where(Candidate.user_id == user.id))
    if candidate is None:
        abort(404)
    return candidate
