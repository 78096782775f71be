"""The permission table, one module per area: each maps endpoint -> who may use it
(PUBLIC, or a tuple of roles) and gives URL arguments built from the `world` fixture."""

from marketplace.permissions import PUBLIC
from marketplace.types import Role

A, C, E, P = Role.ADMIN, Role.CANDIDATE, Role.EMPLOYER, Role.PEL
ALL = (A, C, E, P)

from tests.integration.access import (  # noqa: E402
    admin,
    api,
    auth,
    bonds,
    candidates,
    custody,
    employers,
    prisons,
    privacy,
    reports,
)

_AREAS = (auth, bonds, candidates, employers, prisons, admin, api, custody, reports,
           privacy)
ACCESS: dict[str, object] = {}
URL_ARGS: dict = {}
POST_ONLY: set[str] = set()
for _area in _AREAS:
    assert not set(_area.ACCESS) & set(ACCESS), f"{_area.__name__} repeats an endpoint"
    ACCESS.update(_area.ACCESS)
    URL_ARGS.update(getattr(_area, "URL_ARGS", {}))
    POST_ONLY |= getattr(_area, "POST_ONLY", set())

__all__ = ["ACCESS", "ALL", "POST_ONLY", "PUBLIC", "URL_ARGS", "A", "C", "E", "P"]
