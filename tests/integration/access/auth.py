from marketplace.permissions import PUBLIC
from tests.integration.access import ALL

ACCESS = {
    "views.start": PUBLIC,
    "views.accessibility": PUBLIC,
    "views.privacy": PUBLIC,
    "views.dashboard": ALL,
    "auth.sign_in": PUBLIC,
    "auth.sign_out": ALL,
    "auth.register": PUBLIC,
    "auth.register_candidate": PUBLIC,
    "auth.register_employer": PUBLIC,
    "auth.confirm_email": PUBLIC,
    "auth.accept_invite": PUBLIC,
    "auth.reset_request": PUBLIC,
    "auth.reset_password": PUBLIC,
    "auth.claim": PUBLIC,
}
URL_ARGS = {
    "auth.accept_invite": lambda w: {"token": "not-a-token"},
    "auth.confirm_email": lambda w: {"token": "not-a-token"},
    "auth.reset_password": lambda w: {"token": "not-a-token"},
}
POST_ONLY = {"auth.sign_out"}
# Health checks for load balancers (marketplace/health.py): public, and about no one.
ACCESS.update({"health.healthz": PUBLIC, "health.readyz": PUBLIC})
# A person's notifications and email choices (marketplace/notifications).
ACCESS.update({"notifications.index": ALL, "notifications.settings": ALL})
