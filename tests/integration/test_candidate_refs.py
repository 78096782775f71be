"""Issue 8, item 11: the reference an employer knows a candidate by is a per-organisation
pseudonym. One organisation sees the same reference on every page and in the API; another
organisation sees a different one, so employers cannot pool references to link cards."""

import pytest
from flask import current_app

from marketplace import journey
from marketplace.types import Role
from tests import factories
from tests.pages import PageClient

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("search")]


def _matched_refs(app, employer, role) -> tuple[set[str], set[str]]:
    page = PageClient(app.test_client(user=employer)).get(
        f"/employer/opportunities/{role.id}/matches")
    on_page = {h.get_text(strip=True).removeprefix("Candidate ")
               for h in page.select(".fcm-card__title")}
    data = app.test_client(user=employer).get(
        f"/api/v1/opportunities/{role.id}/matches").get_json()
    return on_page, {m["candidate"]["ref"] for m in data["matches"]}


def test_one_organisation_one_reference_on_every_page(app, db_session):
    person = factories.candidate(skills_text="forklift counterbalance licence, stock control",
                                 skills=["forklift", "stock_control"], home_district="LS11")
    employers = [factories.user(Role.EMPLOYER), factories.user(Role.EMPLOYER)]
    roles = [factories.opportunity(e.organisation, title="Forklift driver",
                                   skills_text="forklift, stock control") for e in employers]
    # The person applied for another of the first employer's roles, then withdrew: its pages
    # name them by reference only.
    applied = factories.application(factories.opportunity(employers[0].organisation,
                                                          title="Picker"), person)
    journey.withdraw(applied, actor=person.user, reason="Found another job")
    current_app.extensions["search"].rebuild()

    refs = []
    for employer, role in zip(employers, roles, strict=True):
        on_page, in_api = _matched_refs(app, employer, role)
        assert len(on_page) == 1 and on_page == in_api
        refs.append(on_page.pop())
    assert refs[0] != refs[1]

    pages = PageClient(app.test_client(user=employers[0]))
    listed = pages.get(f"/employer/opportunities/{applied.opportunity_id}").select_one(
        f"a[href$='/applications/{applied.id}']").get_text(strip=True)
    heading = pages.get(f"/employer/applications/{applied.id}").select_one("h1")
    assert listed == heading.get_text(strip=True) == f"Candidate {refs[0]}"
