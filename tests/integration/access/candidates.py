from marketplace.converters import MAX_ID
from tests.integration.access import C

ACCESS = {
    "candidates.dashboard": (C,),
    "candidates.profile": (C,),
    "candidates.disclosure": (C,),
    "candidates.conviction_new": (C,),
    "candidates.conviction_edit": (C,),
    "candidates.conviction_delete": (C,),
    "candidates.conviction_details": (C,),
    "candidates.sentence_new": (C,),
    "candidates.sentence_edit": (C,),
    "candidates.sentence_delete": (C,),
    "candidates.statement": (C,),
    "candidates.application": (C,),
    "candidates.withdraw_consent": (C,),
    "candidates.activity": (C,),
    "candidates.jobs": (C,),
    "candidates.job": (C,),
    "candidates.nomination_answer": (C,),
    "candidates.respond": (C,),
    "candidates.profile_edit": (C,),
    "candidates.invitation_decline": (C,),
}
URL_ARGS = {
    "candidates.job": lambda w: {"opportunity_id": w["opportunity"].id},
    "candidates.conviction_edit": lambda w: {"record_id": w["conviction"].id},
    "candidates.conviction_delete": lambda w: {"record_id": w["conviction"].id},
    "candidates.conviction_details": lambda w: {"record_id": w["conviction"].id},
    "candidates.sentence_new": lambda w: {"record_id": w["conviction"].id},
    "candidates.sentence_edit": lambda w: {"record_id": w["conviction"].id, "number": 1},
    "candidates.sentence_delete": lambda w: {"record_id": w["conviction"].id, "number": 1},
    "candidates.application": lambda w: {"application_id": w["application"].id},
    "candidates.withdraw_consent": lambda w: {"application_id": w["application"].id},
    "candidates.nomination_answer": lambda w: {"application_id": w["application"].id,
                                               "choice": "yes"},
    "candidates.respond": lambda w: {"application_id": w["application"].id},
    "candidates.invitation_decline": lambda w: {"invitation_id": MAX_ID},  # objects tested apart
}
POST_ONLY = {"candidates.respond", "candidates.invitation_decline"}
