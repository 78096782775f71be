from tests.integration.access import P

ACCESS = {
    "prisons.dashboard": (P,),
    "prisons.caseload": (P,),
    "prisons.person": (P,),
    "prisons.convictions": (P,),
    "prisons.conviction_new": (P,),
    "prisons.conviction_edit": (P,),
    "prisons.conviction_delete": (P,),
    "prisons.record_consent": (P,),
}
URL_ARGS = {
    "prisons.person": lambda w: {"candidate_id": w["in_custody"].id},
    "prisons.convictions": lambda w: {"candidate_id": w["in_custody"].id},
    "prisons.conviction_new": lambda w: {"candidate_id": w["in_custody"].id},
    "prisons.conviction_edit": lambda w: {"candidate_id": w["in_custody"].id,
                                          "record_id": w["custody_conviction"].id},
    "prisons.conviction_delete": lambda w: {"candidate_id": w["in_custody"].id,
                                            "record_id": w["custody_conviction"].id},
    "prisons.record_consent": lambda w: {"application_id": w["custody_application"].id},
}
POST_ONLY = {"prisons.conviction_delete"}
