"""Employers invite matched people to apply; the person sees the invitation and decides, and the
employer learns nothing about them until they apply (issue 9, item 8)."""

import datetime as dt

import pytest
import sqlalchemy as sa
from flask import current_app

from marketplace import clock, invitations
from marketplace.disclosure import policy
from marketplace.disclosure.calculator import DisposalKind
from marketplace.models import AuditEvent, Invitation, OpportunityExclusion
from marketplace.types import (
    CandidateStatus,
    InvitationStatus,
    OffenceCategory,
    OpportunityStatus,
    Role,
)
from tests import factories
from tests.pages import PageClient

TODAY = dt.date.today()


@pytest.fixture()
def world(db_session):
    org = factories.organisation(name="Northgate Logistics")
    employer = factories.user(Role.EMPLOYER, organisation=org)
    role = factories.opportunity(org, title="Warehouse operative")
    person = factories.candidate(first_name="Alex")
    return {"employer": employer, "org": org, "role": role, "person": person,
            "ref": policy.candidate_view(employer, person).ref}


def _invite_url(world, ref=None, role=None, **args) -> str:
    query = "&".join(f"{k}={v}" for k, v in args.items())
    return (f"/employer/opportunities/{(role or world['role']).id}/matches/"
            f"{ref or world['ref']}/invite" + (f"?{query}" if query else ""))


def _invite(app, world, **kwargs):
    pages = PageClient(app.test_client(user=world["employer"]))
    return pages.post(_invite_url(world, **kwargs), form_url="/employer/")


def _invitations(db_session) -> list[Invitation]:
    return list(db_session.scalars(sa.select(Invitation).order_by(Invitation.id)))


def test_an_invitation_is_stored_once_and_audited(app, world, db_session):
    response = _invite(app, world, q="forklift", miles="25")
    assert response.status_code == 302
    # Back to the same search.
    assert response.headers["Location"].endswith(
        f"/employer/opportunities/{world['role'].id}/matches?q=forklift&miles=25")
    _invite(app, world)
    [invitation] = _invitations(db_session)
    assert (invitation.organisation_id, invitation.opportunity_id, invitation.candidate_id,
            invitation.invited_by_id, invitation.status, invitation.decided_at) == (
        world["org"].id, world["role"].id, world["person"].id, world["employer"].id,
        InvitationStatus.SENT, None)
    events = db_session.scalars(sa.select(AuditEvent.action)
                                .where(AuditEvent.candidate_id == world["person"].id)).all()
    assert events == ["invitation.sent"]


def test_only_for_the_employers_own_open_role(app, world, db_session):
    other = factories.opportunity(factories.organisation())
    assert _invite(app, world, role=other).status_code == 404
    world["role"].status = OpportunityStatus.CLOSED
    assert _invite(app, world).status_code == 403
    assert _invitations(db_session) == []


def test_only_people_findable_for_the_role(app, world, db_session):
    hidden = factories.candidate(visible_to_employers=False)
    ref = policy.candidate_view(world["employer"], hidden).ref
    assert _invite(app, world, ref=ref).status_code == 404
    assert _invite(app, world, ref="ABCDEF123456").status_code == 404
    # Findable by the employer's side of the rules only: someone who cannot start in time.
    late = factories.candidate(CandidateStatus.IN_CUSTODY, rotl_eligible=False,
                               release_date=TODAY + dt.timedelta(days=365))
    with pytest.raises(invitations.InvitationError):
        invitations.invite(world["role"], late, actor=world["employer"])
    assert _invitations(db_session) == []


def test_a_role_sends_a_limited_number_each_day(app, world, db_session):
    role, employer = world["role"], world["employer"]
    for _ in range(invitations.PER_ROLE_PER_DAY):
        invitations.invite(role, factories.candidate(), actor=employer)
    client = app.test_client(user=employer)
    response = PageClient(client).post(_invite_url(world), form_url="/employer/")
    # The matches page (200, or 503 where this test's index is not built) shows the message.
    assert "You can send more tomorrow" in client.get(response.headers["Location"]).text
    assert len(_invitations(db_session)) == invitations.PER_ROLE_PER_DAY
    with clock.frozen(clock.uk_today() + dt.timedelta(days=1)):
        invitations.invite(role, world["person"], actor=employer)
    assert len(_invitations(db_session)) == invitations.PER_ROLE_PER_DAY + 1


def test_the_person_sees_it_on_their_home_page_and_the_job_and_applies(app, world, db_session):
    invitations.invite(world["role"], world["person"], actor=world["employer"])
    pages = PageClient(app.test_client(user=world["person"].user))
    said = "Northgate Logistics invited you to apply for Warehouse operative"
    assert said in pages.get("/me/").get_text()
    job = f"/me/jobs/{world['role'].id}"
    assert said in pages.get(job).get_text()
    response = pages.post(job, {"statement": "I drove forklifts for two years."},
                          expected_status=302)
    [invitation] = _invitations(db_session)
    assert invitation.status is InvitationStatus.APPLIED and invitation.decided_at is not None
    assert response.headers["Location"] == f"/me/applications/{invitation.application_id}"
    assert said not in pages.get("/me/").get_text()
    activity = pages.get("/me/activity").get_text()
    assert "Northgate Logistics invited you to apply for Warehouse operative" in activity


def test_no_thanks(app, world, db_session):
    invitation = invitations.invite(world["role"], world["person"], actor=world["employer"])
    pages = PageClient(app.test_client(user=world["person"].user))
    response = pages.post(f"/me/invitations/{invitation.id}/decline",
                          form_url=f"/me/jobs/{world['role'].id}", expected_status=302)
    assert "They will not be told" in pages.get(response.headers["Location"]).get_text()
    assert invitation.status is InvitationStatus.DECLINED and invitation.decided_at is not None
    assert "invited you" not in pages.get("/me/").get_text()
    # The employer's card still says only that they invited.
    assert world["ref"] in invitations.invited_refs(world["role"])
    again = pages.post(f"/me/invitations/{invitation.id}/decline", form_url="/me/",
                       expected_status=302)
    assert "already answered" in pages.get(again.headers["Location"]).get_text()


def test_only_the_person_answers_their_invitation(app, world, db_session):
    invitation = invitations.invite(world["role"], world["person"], actor=world["employer"])
    someone = factories.candidate()
    pages = PageClient(app.test_client(user=someone.user))
    pages.post(f"/me/invitations/{invitation.id}/decline", form_url="/me/",
               expected_status=404)
    assert invitation.status is InvitationStatus.SENT


def test_a_person_the_role_excludes_is_told_privately(app, world, db_session):
    """They see the invitation and, on the job page, why they cannot apply; the invitation
    stays as it was, so the employer's side cannot change either."""
    world["role"].exclusions = [OpportunityExclusion(category=OffenceCategory.VIOLENCE)]
    person = world["person"]
    factories.conviction(person, actor=person.user, offence="Assault",
                         category=OffenceCategory.VIOLENCE,
                         disposal=DisposalKind.COMMUNITY_ORDER, length_months=24,
                         date=TODAY - dt.timedelta(days=100))
    invitation = invitations.invite(world["role"], person, actor=world["employer"])
    pages = PageClient(app.test_client(user=person.user))
    job = f"/me/jobs/{world['role'].id}"
    page = pages.get(job).get_text()
    assert "invited you to apply" in page
    assert "This employer cannot consider your application for this role." in page
    refused = pages.post(job, {"statement": "Please"}, expected_status=200)
    assert "cannot consider your application" in refused.get_data(as_text=True)
    assert invitation.status is InvitationStatus.SENT


def test_closing_the_role_expires_unanswered_invitations(app, world, db_session):
    from marketplace.employers import services

    invitation = invitations.invite(world["role"], world["person"], actor=world["employer"])
    services.close(world["role"], actor=world["employer"])
    db_session.refresh(invitation)
    assert invitation.status is InvitationStatus.EXPIRED and invitation.decided_at is not None
    pages = PageClient(app.test_client(user=world["person"].user))
    assert "invited you" not in pages.get("/me/").get_text()


def test_the_prison_employment_lead_sees_invitations_on_the_persons_page(app, world,
                                                                         db_session):
    pel = factories.user(Role.PEL)
    inside = factories.candidate(CandidateStatus.IN_CUSTODY, prison=pel.prison,
                                 release_date=TODAY + dt.timedelta(days=10))
    invitations.invite(world["role"], inside, actor=world["employer"])
    page = PageClient(app.test_client(user=pel)).get(f"/prison/people/{inside.id}")
    assert (f"Northgate Logistics invited {inside.first_name} to apply for Warehouse operative"
            in page.get_text())
    link = page.find("a", href=f"/prison/people/{inside.id}/nominate/{world['role'].id}")
    assert link is not None


@pytest.mark.slow
@pytest.mark.xdist_group("search")
def test_the_card_says_invited_and_nothing_else(app, world, db_session):
    other = factories.candidate(first_name="Jordan")
    current_app.extensions["search"].rebuild()
    pages = PageClient(app.test_client(user=world["employer"]))
    url = f"/employer/opportunities/{world['role'].id}/matches"

    def cards():
        page = pages.get(url)
        return {card.find(class_="fcm-card__title").get_text(strip=True): card
                for card in page.select(".fcm-card")}

    before = cards()
    card = before[f"Candidate {world['ref']}"]
    assert card.find("button").get_text(" ", strip=True).startswith("Invite to apply")
    pages.post(card.find("form")["action"], form_url=url, expected_status=302)
    after = cards()
    invited = after[f"Candidate {world['ref']}"]
    assert invited.find("button") is None and "Invited" in invited.get_text()
    assert "Alex" not in str(invited)
    other_ref = policy.candidate_view(world["employer"], other).ref
    assert after[f"Candidate {other_ref}"].find("button") is not None
    # Saying no thanks changes nothing the employer sees.
    [invitation] = _invitations(db_session)
    invitations.decline(invitation, actor=world["person"].user)
    assert str(cards()[f"Candidate {world['ref']}"]) == str(invited)


def test_odd_references_and_addresses_are_not_errors(app, world, db_session):
    for ref in ("%C3%A9" * 12, "abc", "0" * 13):
        assert _invite(app, world, ref=ref).status_code == 404
    # Only the list's own search and page go back to it: nothing else in the address.
    response = _invite(app, world, q="forklift", page="2", opportunity_id="9", _external="1")
    assert response.headers["Location"] == (
        f"/employer/opportunities/{world['role'].id}/matches?q=forklift&page=2")
    client = app.test_client(user=world["employer"])
    page = client.get(f"/employer/opportunities/{world['role'].id}/matches"
                      "?opportunity_id=9&_external=1")
    assert page.status_code in (200, 503)  # 503: no index built in this test
