from marketplace.permissions import PUBLIC
from tests.integration.access import A, C, E, P

ACCESS = {
    "privacy.my_data": (A, C, E, P),
    "privacy.download": (A, C, E, P),
    "privacy.people": (A, P),
    "privacy.person_download": (A, P),
    "privacy.erase": (C,),
    "privacy.erased": PUBLIC,
}
URL_ARGS = {
    "privacy.download": lambda w: {"fmt": "json"},
    "privacy.person_download": lambda w: {"candidate_id": w["in_custody"].id, "fmt": "html"},
}
