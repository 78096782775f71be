from marketplace.converters import MAX_ID
from tests.integration.access import E

ACCESS = {
    "employers.dashboard": (E,),
    "employers.opportunities": (E,),
    "employers.opportunity_new": (E,),
    "employers.opportunity": (E,),
    "employers.opportunity_edit": (E,),
    "employers.opportunity_publish": (E,),
    "employers.opportunity_close": (E,),
    "employers.application": (E,),
    "employers.application_action": (E,),
    "employers.matches": (E,),
    "employers.check_in": (E,),
    "employers.invite": (E,),
}
URL_ARGS = {
    "employers.opportunity": lambda w: {"opportunity_id": w["opportunity"].id},
    "employers.opportunity_edit": lambda w: {"opportunity_id": w["opportunity"].id},
    "employers.opportunity_publish": lambda w: {"opportunity_id": w["opportunity"].id},
    "employers.opportunity_close": lambda w: {"opportunity_id": w["opportunity"].id},
    "employers.application": lambda w: {"application_id": w["application"].id},
    "employers.application_action": lambda w: {"application_id": w["application"].id,
                                               "action": "shortlist"},
    "employers.matches": lambda w: {"opportunity_id": w["opportunity"].id},
    "employers.check_in": lambda w: {"check_in_id": MAX_ID},  # the role rule; objects tested apart
    # A reference nobody has: the role rule (test_invitations.py tries real ones).
    "employers.invite": lambda w: {"opportunity_id": w["opportunity"].id, "ref": "0" * 12},
}
POST_ONLY = {"employers.opportunity_publish", "employers.opportunity_close",
             "employers.application_action", "employers.check_in",
             "employers.invite"}
