from tests.integration.access import A

ACCESS = {
    "admin.dashboard": (A,),
    "admin.jobs": (A,),
    "admin.organisations": (A,),
    "admin.organisation": (A,),
    "admin.invites": (A,),
    "admin.outcome_reports": (A,),
}
URL_ARGS = {
    "admin.organisation": lambda w: {"organisation_id": w["organisation"].id},
}
