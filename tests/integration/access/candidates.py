from tests.integration.access import C

ACCESS = {
    "candidates.dashboard": (C,),
    "candidates.profile": (C,),
}
URL_ARGS: dict = {}
