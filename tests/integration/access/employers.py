from tests.integration.access import E

ACCESS = {
    "employers.dashboard": (E,),
    "employers.opportunities": (E,),
    "employers.application": (E,),
}
URL_ARGS = {
    "employers.application": lambda w: {"application_id": w["application"].id},
}
