from marketplace.converters import MAX_ID
from tests.integration.access import P

ACCESS = {
    "prisons.dashboard": (P,),
    "prisons.caseload": (P,),
    "prisons.day_release": (P,),
    "prisons.nominations": (P,),
    "prisons.person": (P,),
    "prisons.convictions": (P,),
    "prisons.conviction_new": (P,),
    "prisons.conviction_edit": (P,),
    "prisons.conviction_delete": (P,),
    "prisons.record_consent": (P,),
    "prisons.person_jobs": (P,),
    "prisons.nominate": (P,),
    "prisons.nomination_answer": (P,),
    "prisons.rotl_decision": (P,),
    "prisons.person_new": (P,),
    "prisons.platform_consent": (P,),
    "prisons.platform_consent_withdraw": (P,),
    "prisons.message_queue": (P,),
    "prisons.message_decision": (P,),
    "prisons.transfer": (P,),
    "prisons.release": (P,),
    "prisons.released": (P,),
    "prisons.new_claim_code": (P,),
    "prisons.readiness": (P,),
    "prisons.bulk_nominate": (P,),
    "prisons.jobpoints": (P,),
    "prisons.jobpoint_revoke": (P,),
    "prisons.jobpoint_requests": (P,),
    "prisons.jobpoint_request_done": (P,),
    "prisons.profile": (P,),
    "prisons.profile_qualification": (P,),
    "prisons.profile_work": (P,),
    "prisons.profile_remove": (P,),
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
    "prisons.person_jobs": lambda w: {"candidate_id": w["in_custody"].id},
    "prisons.nominate": lambda w: {"candidate_id": w["in_custody"].id,
                                   "opportunity_id": w["opportunity"].id},
    "prisons.nomination_answer": lambda w: {"application_id": w["custody_application"].id,
                                            "choice": "yes"},
    # The world has no interview: the role rule is what this table checks (test_pel_pages.py
    # checks which interviews a PEL may decide).
    "prisons.rotl_decision": lambda w: {"interview_id": MAX_ID, "decision": "approve"},
}
URL_ARGS.update({
    "prisons.platform_consent": lambda w: {"candidate_id": w["in_custody"].id},
    "prisons.platform_consent_withdraw": lambda w: {"candidate_id": w["in_custody"].id},
    "prisons.message_decision": lambda w: {"message_id": MAX_ID, "decision": "approve"},
    "prisons.transfer": lambda w: {"candidate_id": w["in_custody"].id},
    "prisons.release": lambda w: {"candidate_id": w["in_custody"].id},
    # Nobody in the world was released: the role rule (test_custody_release.py tries real ones).
    "prisons.new_claim_code": lambda w: {"candidate_id": MAX_ID},
    "prisons.readiness": lambda w: {"candidate_id": w["in_custody"].id},
    "prisons.bulk_nominate": lambda w: {"opportunity_id": w["opportunity"].id},
    "prisons.jobpoint_revoke": lambda w: {"device_id": MAX_ID},
    "prisons.jobpoint_request_done": lambda w: {"request_id": MAX_ID},
    "prisons.profile": lambda w: {"candidate_id": w["in_custody"].id},
    "prisons.profile_qualification": lambda w: {"candidate_id": w["in_custody"].id},
    "prisons.profile_work": lambda w: {"candidate_id": w["in_custody"].id},
    "prisons.profile_remove": lambda w: {"candidate_id": w["in_custody"].id,
                                         "kind": "work", "item_id": MAX_ID},
})
POST_ONLY: set[str] = {"prisons.jobpoint_revoke", "prisons.jobpoint_request_done",
                       "prisons.profile_qualification", "prisons.profile_work",
                       "prisons.profile_remove"}
# A conviction's details and sentences (prisons/conviction_routes.py).
_CONVICTION = {"conviction_details": {}, "sentence_new": {}, "sentence_edit": {"number": 1},
               "sentence_delete": {"number": 1}}
for _name, _extra in _CONVICTION.items():
    ACCESS[f"prisons.{_name}"] = (P,)
    URL_ARGS[f"prisons.{_name}"] = lambda w, extra=_extra: {
        "candidate_id": w["in_custody"].id, "record_id": w["custody_conviction"].id, **extra}
