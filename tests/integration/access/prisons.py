from tests.integration.access import P

ACCESS = {
    "prisons.dashboard": (P,),
    "prisons.caseload": (P,),
}
URL_ARGS: dict = {}
