"""All models, imported here so Alembic and the app see every table.

ConvictionRecord is deliberately not re-exported: only disclosure/ may read conviction records,
importing them from marketplace.models.disclosure, where an import-linter contract guards them.
"""

from marketplace.models.accounts import Invite, Organisation, OrganisationPledge, User
from marketplace.models.api import ApiToken, OpportunityReference
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
from marketplace.models.bonds import Bond, BondClaim, BondProduct, LedgerEntry, StripeEvent
from marketplace.models.candidates import (
    Candidate,
    PrisonTransfer,
    Qualification,
    ResettlementNeed,
    WorkHistory,
    WorkReadiness,
)
from marketplace.models.custody import (
    ClaimCode,
    CustodyDetails,
    KioskDevice,
    KioskRequest,
    Message,
    PlatformConsent,
    ReadinessEntry,
    Release,
)
from marketplace.models.disclosure import DisclosureConsent, DisclosureStatement
from marketplace.models.invitations import Invitation
from marketplace.models.notifications import MutedEmail, Notification
from marketplace.models.opportunities import Opportunity, OpportunityExclusion
from marketplace.models.reference import PostcodeDistrict, Prison
from marketplace.models.reports import ReportSnapshot

__all__ = [
    "ApiToken", "OpportunityReference",
    "Bond", "BondClaim", "BondProduct", "LedgerEntry", "StripeEvent",
    "Application", "ApplicationEvent", "AuditEvent", "Base", "Candidate", "CheckIn",
    "DisclosureConsent", "DisclosureStatement", "Interview",
    "Invitation", "Invite", "MutedEmail", "Notification", "Offer", "Opportunity",
    "OpportunityExclusion",
    "Organisation",
    "OrganisationPledge", "Placement", "PostcodeDistrict", "Prison", "PrisonTransfer",
    "Qualification", "ResettlementNeed", "User", "WorkHistory", "WorkReadiness",
    "ClaimCode", "CustodyDetails", "KioskDevice", "KioskRequest", "Message", "PlatformConsent",
    "ReadinessEntry", "Release", "ReportSnapshot",
]
