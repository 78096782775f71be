"""All models, imported here so Alembic and the app see every table."""

from marketplace.models.accounts import Invite, Organisation, OrganisationPledge, User
from marketplace.models.applications import (
    Application,
    ApplicationEvent,
    CheckIn,
    Interview,
    Offer,
    Placement,
)
from marketplace.models.audit import AuditEvent
from marketplace.models.base import Base
from marketplace.models.candidates import (
    Candidate,
    PrisonTransfer,
    Qualification,
    ResettlementNeed,
    WorkHistory,
    WorkReadiness,
)
from marketplace.models.disclosure import (
    ConvictionRecord,
    DisclosureConsent,
    DisclosureStatement,
)
from marketplace.models.opportunities import Opportunity, OpportunityExclusion
from marketplace.models.reference import PostcodeDistrict, Prison

__all__ = [
    "Application", "ApplicationEvent", "AuditEvent", "Base", "Candidate", "CheckIn",
    "ConvictionRecord", "DisclosureConsent", "DisclosureStatement", "Interview",
    "Invite", "Offer", "Opportunity", "OpportunityExclusion", "Organisation",
    "OrganisationPledge", "Placement", "PostcodeDistrict", "Prison", "PrisonTransfer",
    "Qualification", "ResettlementNeed", "User", "WorkHistory", "WorkReadiness",
]
