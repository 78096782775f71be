from tests.integration.access import C, E

ACCESS = {
    "api.my_matches": (C,),
    "api.opportunity_matches": (E,),
}
URL_ARGS = {
    "api.opportunity_matches": lambda w: {"opportunity_id": w["opportunity"].id},
}
