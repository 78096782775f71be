"""Jobpoint terminals (issue 13): locked-down screens on a prison wing.

A PEL sets a terminal up from their pages: a device row for their prison and a signed cookie
naming it (itsdangerous, keyed by SECRET_KEY). Revoking the row ends it at once, whatever the
cookie says. The cookie is not a session: nothing signed-in reads it.

On a Jobpoint a person browses open opportunities near a home area, with no contact details
and no links out, and can ask their employment lead about a job by typing their prison
number. A number that matches nobody in that prison is accepted the same way and kept nowhere,
so the screen tells nobody who is in the prison.
"""

import datetime as dt
import math

import sqlalchemy as sa
from flask import current_app, g
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.orm import selectinload

from marketplace import audit, clock, pagination, permissions
from marketplace.custody import CustodyError
from marketplace.extensions import db, limiter
from marketplace.models import (
    Candidate,
    KioskDevice,
    KioskRequest,
    Opportunity,
    Organisation,
    PostcodeDistrict,
    Prison,
    User,
)
from marketplace.reference import services as reference
from marketplace.types import CandidateStatus, OpportunityStatus, OrganisationStatus, Role

COOKIE = "jobpoint"
COOKIE_DAYS = 365
IDLE_SECONDS = 180  # the screen goes back to the start after 3 idle minutes
DISTANCES = (5, 10, 25, 50)
_SALT = "jobpoint-device"
def _device_key() -> str:
    device = g.get("jobpoint_device")
    return f"jobpoint-{device.id}" if device is not None else "jobpoint-none"


def _limit() -> str:
    # Enough for a queue of people at the screen, too few to try prison numbers in bulk.
    return current_app.config["JOBPOINT_RATE_LIMIT"]


# The decorator for the view that sends requests: counted per device, not per address (a
# prison's terminals may share one).
limited_per_device = limiter.limit(_limit, key_func=_device_key, methods=["POST"])


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt=_SALT)


# --- devices -----------------------------------------------------------------------------------


def set_up(pel: User, *, label: str) -> KioskDevice:
    if pel.role is not Role.PEL or pel.prison_id is None:
        raise CustodyError("Only a prison employment lead can set up a Jobpoint.")
    device = KioskDevice(prison_id=pel.prison_id, label=label, created_by_id=pel.id)
    db.session.add(device)
    db.session.flush()
    audit.record("jobpoint.set_up", actor=pel, subject=device, label=label)
    return device


def cookie_value(device: KioskDevice) -> str:
    return _signer().dumps({"device": device.id})


def device_from_cookie(value: str | None) -> KioskDevice | None:
    """The active device a cookie names; None for no cookie, a forged one or a revoked
    device."""
    if not value:
        return None
    try:
        data = _signer().loads(value)
    except BadSignature:
        return None
    device_id = data.get("device") if isinstance(data, dict) else None
    if not isinstance(device_id, int):
        return None
    device = db.session.get(KioskDevice, device_id)
    return device if device is not None and device.active else None


CONFIGURED = "Set by configuration: "


def device_for_address(address: str | None) -> KioskDevice | None:
    """A Jobpoint set by configuration (JOBPOINT_NETWORKS): the device row for the configured
    network the client address is in, made the first time it is used, so that requests name a
    device and a PEL can stop it like any other. None outside those networks, or once
    stopped."""
    import ipaddress

    networks = current_app.config.get("JOBPOINT_NETWORKS") or []
    if not networks or not address:
        return None
    try:
        client = ipaddress.ip_address(address)
    except ValueError:
        return None
    for network, code in networks:
        if client not in ipaddress.ip_network(network):
            continue
        label = CONFIGURED + network
        prison = db.session.scalar(sa.select(Prison).where(Prison.code == code))
        if prison is None:
            return None
        device = db.session.scalar(
            sa.select(KioskDevice).where(KioskDevice.prison_id == prison.id,
                                         KioskDevice.label == label)
            .order_by(KioskDevice.id))
        if device is None:
            device = KioskDevice(prison_id=prison.id, label=label, created_by_id=None)
            db.session.add(device)
            db.session.flush()
        return device if device.active else None
    return None


def devices(pel: User) -> list[KioskDevice]:
    return list(db.session.scalars(
        sa.select(KioskDevice).where(KioskDevice.prison_id == pel.prison_id)
        .order_by(KioskDevice.revoked_at.is_not(None), KioskDevice.created_at.desc(),
                  KioskDevice.id.desc())))


def device_for_pel(pel: User, device_id: int) -> KioskDevice | None:
    found = db.session.get(KioskDevice, device_id)
    return found if found is not None and found.prison_id == pel.prison_id \
        and pel.role is Role.PEL else None


def revoke(device: KioskDevice, *, pel: User) -> None:
    if device.prison_id != pel.prison_id:
        raise CustodyError("You can only revoke your own prison's Jobpoints.")
    if device.revoked_at is None:
        device.revoked_at = clock.utc_now()
        device.revoked_by_id = pel.id
        db.session.flush()
        audit.record("jobpoint.revoked", actor=pel, subject=device)


# --- browsing ----------------------------------------------------------------------------------


def _listed_open(today: dt.date):
    """Open opportunities of approved employers, not past their closing date: what a Jobpoint
    lists (a closed role disappears the moment it closes)."""
    return sa.and_(Opportunity.status == OpportunityStatus.OPEN,
                   Opportunity.closing_date >= today,
                   Opportunity.organisation.has(Organisation.status
                                                == OrganisationStatus.APPROVED))


def open_jobs(area: PostcodeDistrict, *, miles: int, text: str | None = None,
              page: int = 1) -> pagination.Page[Opportunity]:
    """Open opportunities within `miles` of the area (national and remote ones wherever they
    are), closing soonest first, narrowed by words in the title, description or skills. A box
    around the area narrows the query before the exact distance is checked."""
    today = clock.uk_today()
    lat_span = miles / 69.0
    lon_span = miles / max(1.0, 69.0 * math.cos(math.radians(area.latitude)))
    near = (sa.select(PostcodeDistrict.district)
            .where(PostcodeDistrict.latitude.between(area.latitude - lat_span,
                                                     area.latitude + lat_span),
                   PostcodeDistrict.longitude.between(area.longitude - lon_span,
                                                      area.longitude + lon_span)))
    districts = [d for d in db.session.scalars(
        sa.select(PostcodeDistrict).where(PostcodeDistrict.district.in_(near)))
        if reference.miles_between(area, d) <= miles]
    query = (sa.select(Opportunity)
             .where(_listed_open(today),
                    sa.or_(Opportunity.national.is_(True), Opportunity.remote.is_(True),
                           Opportunity.postcode_district.in_([d.district for d in districts])))
             .order_by(Opportunity.closing_date, Opportunity.id))
    if text:
        like = f"%{text.lower()}%"
        query = query.where(sa.or_(sa.func.lower(Opportunity.title).like(like),
                                   sa.func.lower(Opportunity.description).like(like),
                                   sa.func.lower(Opportunity.skills_text).like(like)))
    return pagination.of_query(query, page)


def open_job(opportunity_id: int) -> Opportunity | None:
    """One listed, open opportunity; None for anything else (closed roles are not shown)."""
    found = db.session.scalar(sa.select(Opportunity).where(
        Opportunity.id == opportunity_id, _listed_open(clock.uk_today())))
    return found if found is not None and permissions.is_listed(found) else None


# --- asking the employment lead ----------------------------------------------------------------


def ask(device: KioskDevice, *, prison_number: str, opportunity: Opportunity) -> None:
    """Put a request in the PEL's queue if the number is someone in this device's prison;
    otherwise do nothing. Either way the caller shows the same page."""
    number = "".join(prison_number.split()).upper()
    candidate = db.session.scalar(sa.select(Candidate).where(
        sa.func.upper(Candidate.prison_number) == number,
        Candidate.prison_id == device.prison_id,
        Candidate.status == CandidateStatus.IN_CUSTODY))
    if candidate is None:
        return
    waiting = db.session.scalar(sa.select(KioskRequest.id).where(
        KioskRequest.candidate_id == candidate.id,
        KioskRequest.opportunity_id == opportunity.id, KioskRequest.handled_at.is_(None)))
    if waiting is not None:
        return
    request = KioskRequest(device_id=device.id, candidate_id=candidate.id,
                           opportunity_id=opportunity.id)
    db.session.add(request)
    db.session.flush()


def requests_for(pel: User) -> list[KioskRequest]:
    """Unanswered requests from people now in the PEL's prison, oldest first."""
    return list(db.session.scalars(
        sa.select(KioskRequest).join(Candidate)
        .where(KioskRequest.handled_at.is_(None), permissions.candidates_in_prison_of(pel))
        .options(selectinload(KioskRequest.candidate),
                 selectinload(KioskRequest.opportunity).selectinload(Opportunity.organisation))
        .order_by(KioskRequest.created_at, KioskRequest.id)))


def request_for_pel(pel: User, request_id: int) -> KioskRequest | None:
    found = db.session.get(KioskRequest, request_id)
    return found if found is not None and permissions.in_pels_prison(pel, found.candidate) \
        else None


def handle(request: KioskRequest, *, pel: User) -> None:
    if request.handled_at is None:
        request.handled_at = clock.utc_now()
        request.handled_by_id = pel.id
        db.session.flush()
