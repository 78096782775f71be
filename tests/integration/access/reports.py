from tests.integration.access import A, E, P

ACCESS = {
    "reports.outcomes": (A, E, P),
    "reports.download": (A, E, P),
    "reports.skills_gap_page": (A, P),
    "reports.skills_gap_download": (A, P),
}
URL_ARGS = {
    "reports.download": lambda w: {"name": "funnel"},
}
