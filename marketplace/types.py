"""Every enumeration the data model uses, in one place.

Values are stable lowercase strings: they are stored in the database (as native enums on
PostgreSQL, CHECK-constrained strings on SQLite) and appear in URLs and the API.
"""

import enum


class Role(enum.StrEnum):
    CANDIDATE = "candidate"
    EMPLOYER = "employer"
    PEL = "pel"  # prison employment lead
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return {
            "candidate": "Candidate",
            "employer": "Employer",
            "pel": "Prison employment lead",
            "admin": "Administrator",
        }[self.value]


class OrganisationStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class OrganisationSize(enum.StrEnum):
    MICRO = "micro"  # 1 to 9 staff
    SMALL = "small"  # 10 to 49
    MEDIUM = "medium"  # 50 to 249
    LARGE = "large"  # 250 or more

    @property
    def label(self) -> str:
        return {
            "micro": "1 to 9 staff",
            "small": "10 to 49 staff",
            "medium": "50 to 249 staff",
            "large": "250 staff or more",
        }[self.value]


class Sector(enum.StrEnum):
    """Sector Skills Council sectors (DOMAIN.md, Employers)."""

    CONSTRUCTION = "construction"
    HOSPITALITY = "hospitality_catering"
    RETAIL = "retail"
    LOGISTICS = "logistics_warehousing"
    MANUFACTURING = "manufacturing_engineering"
    IT = "it"
    FACILITIES = "facilities_cleaning"
    CARE = "health_social_care"
    ARTS = "arts_media"
    TRANSPORT = "transport"
    LAND = "land_based"
    HAIR_BEAUTY = "hair_beauty"
    BUSINESS = "business_admin"
    UTILITIES = "energy_utilities"

    @property
    def label(self) -> str:
        return SECTOR_LABELS[self]


SECTOR_LABELS = {
    Sector.CONSTRUCTION: "Construction",
    Sector.HOSPITALITY: "Hospitality and catering",
    Sector.RETAIL: "Retail",
    Sector.LOGISTICS: "Logistics and warehousing",
    Sector.MANUFACTURING: "Manufacturing and engineering",
    Sector.IT: "IT and digital",
    Sector.FACILITIES: "Facilities and cleaning",
    Sector.CARE: "Health and social care",
    Sector.ARTS: "Arts and media",
    Sector.TRANSPORT: "Transport and driving",
    Sector.LAND: "Land-based (farming, gardening, animal care)",
    Sector.HAIR_BEAUTY: "Hair and beauty",
    Sector.BUSINESS: "Business and admin",
    Sector.UTILITIES: "Energy and utilities",
}


class Pledge(enum.StrEnum):
    BAN_THE_BOX = "ban_the_box"
    FAIR_CHANCE = "fair_chance"
    LIVING_WAGE = "living_wage"
    MENTORING = "mentoring"

    @property
    def label(self) -> str:
        return {
            "ban_the_box": "Ban the Box: no criminal record question on the application form",
            "fair_chance": "Fair chance recruitment policy",
            "living_wage": "Pays the real Living Wage",
            "mentoring": "Gives every new starter a mentor",
        }[self.value]


class OpportunityKind(enum.StrEnum):
    EMPLOYABILITY = "employability_activity"  # Alliance level 1
    TRAINING = "training_programme"  # level 2
    PLACEMENT = "work_placement"  # level 2
    VACANCY = "vacancy"  # level 3

    @property
    def label(self) -> str:
        return {
            "employability_activity": "Mentoring or workshop",
            "training_programme": "Training programme",
            "work_placement": "Work placement",
            "vacancy": "Job",
        }[self.value]

    @property
    def minimum_level(self) -> int:
        """The Corporate Alliance level an employer needs to post this kind (DOMAIN.md)."""
        return {"employability_activity": 1, "training_programme": 2, "work_placement": 2,
                "vacancy": 3}[self.value]


class OpportunityStatus(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    FILLED = "filled"


class HoursPattern(enum.StrEnum):
    FULL_TIME = "full_time"
    PART_TIME = "part_time"
    FLEXIBLE = "flexible"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class ContractType(enum.StrEnum):
    PERMANENT = "permanent"
    FIXED_TERM = "fixed_term"
    TEMPORARY = "temporary"
    APPRENTICESHIP = "apprenticeship"
    PLACEMENT = "placement"
    NONE = "none"  # mentoring and workshops have no contract

    @property
    def label(self) -> str:
        return {"none": "No contract"}.get(self.value, self.value.replace("_", " ").capitalize())


class PayPeriod(enum.StrEnum):
    HOUR = "hour"
    WEEK = "week"
    YEAR = "year"


class CheckLevel(enum.StrEnum):
    """Criminal record check a role needs (DISCLOSURE.md section 2)."""

    NONE = "none"
    BASIC = "basic"
    STANDARD = "standard"
    ENHANCED = "enhanced"
    ENHANCED_BARRED = "enhanced_barred"

    @property
    def label(self) -> str:
        return {
            "none": "No check",
            "basic": "Basic DBS check",
            "standard": "Standard DBS check",
            "enhanced": "Enhanced DBS check",
            "enhanced_barred": "Enhanced DBS check with barred list",
        }[self.value]


class RegulatedActivity(enum.StrEnum):
    NONE = "none"
    CHILDREN = "children"
    ADULTS = "vulnerable_adults"
    BOTH = "both"


class OffenceCategory(enum.StrEnum):
    """Offence groups employers may exclude for a role, and convictions are filed under."""

    ARSON = "arson"
    DRIVING = "driving"
    SEXUAL = "sexual"
    TERRORISM = "terrorism"
    VIOLENCE = "violence"
    FRAUD = "fraud_dishonesty"
    DRUGS = "drugs"
    THEFT = "theft"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {"fraud_dishonesty": "Fraud or dishonesty"}.get(self.value, self.value.capitalize())


class CandidateStatus(enum.StrEnum):
    IN_CUSTODY = "in_custody"
    ON_LICENCE = "on_licence"
    RELEASED = "released"

    @property
    def label(self) -> str:
        return {"in_custody": "In prison", "on_licence": "On licence",
                "released": "Released"}[self.value]


class WorkReadinessStatus(enum.StrEnum):
    NO_RIGHT_TO_WORK = "no_right_to_work"
    SUPPORT_DECLINED = "support_declined"
    SUPPORT_NEEDED = "support_needed"
    READY = "ready_to_work"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class Pathway(enum.StrEnum):
    """The seven resettlement pathways. Never shown to employers."""

    ACCOMMODATION = "accommodation"
    ETE = "education_training_employment"
    HEALTH = "health"
    DRUGS_ALCOHOL = "drugs_alcohol"
    FINANCE = "finance"
    FAMILIES = "families"
    ATTITUDES = "attitudes_thinking_behaviour"


class Rag(enum.StrEnum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"


class ApplicationSource(enum.StrEnum):
    APPLIED = "applied"
    NOMINATED = "nominated"


class ApplicationStatus(enum.StrEnum):
    """The journey in DOMAIN.md. Every application ends in an outcome: nobody is ghosted."""

    NOMINATED = "nominated"  # waiting for the candidate's consent
    APPLIED = "applied"
    SHORTLISTED = "shortlisted"
    INTERVIEW = "interview"
    CONDITIONAL_OFFER = "conditional_offer"
    DISCLOSURE = "disclosure"
    OFFER_CONFIRMED = "offer_confirmed"
    STARTED = "started"
    UNSUCCESSFUL = "unsuccessful"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        """For employers, PELs and admins: what stage it is at and who acts next."""
        return {
            "nominated": "Put forward: waiting for the person to agree",
            "conditional_offer": "Conditional offer: waiting for the candidate to decide "
                                 "whether to share their record",
            "disclosure": "Record shared: decide whether to confirm the offer",
            "started": "Started work",
        }.get(self.value, self.value.replace("_", " ").capitalize())

    @property
    def candidate_label(self) -> str:
        """For the person applying, in words a 9 to 11 year old reads easily."""
        return {
            "nominated": "Put forward for you: say if you agree",
            "applied": "Applied",
            "shortlisted": "On the shortlist",
            "interview": "Interview",
            "conditional_offer": "Job offer: decide whether to share your record",
            "disclosure": "Record shared: the employer is looking at it",
            "offer_confirmed": "Job offer confirmed",
            "started": "Started work",
            "unsuccessful": "Not successful",
            "withdrawn": "Application ended",
        }[self.value]

    @property
    def is_final(self) -> bool:
        return self in (ApplicationStatus.STARTED, ApplicationStatus.UNSUCCESSFUL,
                        ApplicationStatus.WITHDRAWN)


class InterviewStatus(enum.StrEnum):
    BOOKED = "booked"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"


class RotlStatus(enum.StrEnum):
    NOT_NEEDED = "not_needed"
    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"


class OfferStatus(enum.StrEnum):
    CONDITIONAL = "conditional"
    CONFIRMED = "confirmed"
    WITHDRAWN = "withdrawn"
    DECLINED = "declined"


class PlacementStatus(enum.StrEnum):
    IN_WORK = "in_work"
    LEFT = "left"


class CheckInOutcome(enum.StrEnum):
    IN_WORK = "in_work"
    LEFT = "left"
    NOT_KNOWN = "not_known"


class InvitationStatus(enum.StrEnum):
    """An employer's invitation to apply, as the person answered it. The employer never sees
    which: only that they invited (employers/routes.py, the matched candidates page)."""

    SENT = "sent"
    APPLIED = "applied"
    DECLINED = "declined"
    EXPIRED = "expired"  # the role closed before they answered


# --- the custody channel (issue 13) ------------------------------------------------------------


class ReleaseDateCertainty(enum.StrEnum):
    """Whether an expected release date may move: parole boards and home detention curfew
    (HDC) can bring it forward or push it back."""

    FIXED = "fixed"
    PAROLE = "parole"
    HDC = "hdc"

    @property
    def label(self) -> str:
        return {"fixed": "Fixed date", "parole": "May change: parole",
                "hdc": "May change: home detention curfew (HDC)"}[self.value]


class ReadinessLevel(enum.StrEnum):
    """The PEL's short work-readiness record for someone in custody."""

    READY = "ready"
    READY_WITH_SUPPORT = "ready_with_support"
    NOT_YET = "not_yet"

    @property
    def label(self) -> str:
        return {"ready": "Ready", "ready_with_support": "Ready with support",
                "not_yet": "Not yet ready"}[self.value]


class SupportNeed(enum.StrEnum):
    ID = "id"
    BANK_ACCOUNT = "bank_account"
    CSCS_CARD = "cscs_card"
    HOUSING = "housing"
    TRAVEL = "travel"

    @property
    def label(self) -> str:
        return {"id": "ID", "bank_account": "Bank account", "cscs_card": "CSCS card",
                "housing": "Housing", "travel": "Travel to work"}[self.value]


class MessageDirection(enum.StrEnum):
    TO_EMPLOYER = "to_employer"
    TO_CANDIDATE = "to_candidate"


class MessageStatus(enum.StrEnum):
    """A checked message: people in custody write, and are written to, through their PEL."""

    WAITING = "waiting"  # in the PEL's queue
    APPROVED = "approved"  # checked and passed on
    RETURNED = "returned"  # sent back to the writer with a reason, to change and send again
    REJECTED = "rejected"  # not passed on
    DELIVERED = "delivered"  # nobody in custody: no check

    @property
    def label(self) -> str:
        return {"waiting": "Waiting to be checked", "approved": "Checked and sent",
                "returned": "Returned to the writer", "rejected": "Not sent",
                "delivered": "Sent"}[self.value]

    @property
    def reached_recipient(self) -> bool:
        return self in (MessageStatus.APPROVED, MessageStatus.DELIVERED)


# --- fidelity bonds (issue 12) -----------------------------------------------------------------


class BondStatus(enum.StrEnum):
    """A fidelity bond's life. Every change happens in marketplace/bonds/services.py."""

    PENDING_PAYMENT = "pending_payment"  # chosen; card payment not yet confirmed by Stripe
    AWAITING_INVOICE = "awaiting_invoice"  # to be paid by invoice; an administrator marks it
    PAYMENT_FAILED = "payment_failed"  # the card was refused; the employer may try again
    ACTIVE = "active"  # paid (Stripe's signed webhook, or an invoice marked paid): covered
    CANCELLING = "cancelling"  # cancelled early; the refund waits for Stripe's confirmation
    CANCELLED = "cancelled"
    EXPIRED = "expired"  # the term ended
    CLAIMED = "claimed"  # the employer reported a loss against it

    @property
    def label(self) -> str:
        return {"pending_payment": "Waiting for payment",
                "awaiting_invoice": "Waiting for invoice payment",
                "payment_failed": "Payment failed", "active": "Active",
                "cancelling": "Cancelled, refund pending", "cancelled": "Cancelled",
                "expired": "Expired", "claimed": "Claim made"}[self.value]


class PaymentMethod(enum.StrEnum):
    CARD = "card"
    INVOICE = "invoice"


class LedgerKind(enum.StrEnum):
    PAYMENT = "payment"
    REFUND = "refund"
