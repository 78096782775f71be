from tests.integration.access import E

ACCESS = {
    "employers.dashboard": (E,),
    "employers.opportunities": (E,),
}
URL_ARGS: dict = {}
