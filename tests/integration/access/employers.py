from tests.integration.access import E

ACCESS = {
    "employers.dashboard": (E,),
    "employers.opportunities": (E,),
    "employers.application": (E,),
    "employers.matches": (E,),
}
URL_ARGS = {
    "employers.application": lambda w: {"application_id": w["application"].id},
    "employers.matches": lambda w: {"opportunity_id": w["opportunity"].id},
}
