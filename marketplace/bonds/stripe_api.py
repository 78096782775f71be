"""The Stripe SDK, configured from the app's settings (never at import), and nothing else.

`STRIPE_API_BASE` points the SDK at a Stripe-compatible server (localstripe in tests and the
demo). The browser's Stripe.js comes from the same place: localstripe serves its stand-in at
`<base>/js.stripe.com/v3/`.
"""

from urllib.parse import urlsplit

import stripe
from flask import current_app

LIVE_API = "https://api.stripe.com"
LIVE_JS = "https://js.stripe.com/v3/"
# How old a signed webhook may be (Stripe's own default): an older one is a replay.
SIGNATURE_TOLERANCE_S = 300


class PaymentsNotSetUp(RuntimeError):
    """Card payments are not configured: no Stripe keys."""


def card_payments_set_up() -> bool:
    config = current_app.config
    return bool(config["STRIPE_SECRET_KEY"] and config["STRIPE_PUBLISHABLE_KEY"]
                and config["STRIPE_WEBHOOK_SECRET"])


def client() -> stripe.StripeClient:
    if not card_payments_set_up():
        raise PaymentsNotSetUp("Card payments are not set up: STRIPE_SECRET_KEY is not set.")
    base = current_app.config["STRIPE_API_BASE"]
    return stripe.StripeClient(
        current_app.config["STRIPE_SECRET_KEY"],
        base_addresses={"api": base.rstrip("/")} if base else None,
        # The SDK retries a request that failed on the network with the same idempotency key,
        # so a retry never charges twice.
        max_network_retries=2)


def api_origin() -> str:
    base = current_app.config["STRIPE_API_BASE"] or LIVE_API
    parts = urlsplit(base)
    return f"{parts.scheme}://{parts.netloc}"


def js_url() -> str:
    base = current_app.config["STRIPE_API_BASE"]
    return f"{base.rstrip('/')}/js.stripe.com/v3/" if base else LIVE_JS


def browser_origins() -> dict[str, list[str]]:
    """What the payment page's Content-Security-Policy must add: where Stripe.js comes from,
    what it calls, and (real Stripe) the frames its card fields live in."""
    if current_app.config["STRIPE_API_BASE"]:
        return {"script-src": [api_origin()], "connect-src": [api_origin()], "frame-src": []}
    return {"script-src": ["https://js.stripe.com"],
            "connect-src": ["https://api.stripe.com"],
            "frame-src": ["https://js.stripe.com", "https://hooks.stripe.com"]}


def verify_signature(payload: str, header: str | None) -> None:
    """Raises stripe.SignatureVerificationError unless `header` is a valid Stripe-Signature
    for `payload` under STRIPE_WEBHOOK_SECRET, made within the tolerance."""
    secret = current_app.config["STRIPE_WEBHOOK_SECRET"]
    if not secret:
        raise PaymentsNotSetUp("STRIPE_WEBHOOK_SECRET is not set.")
    stripe.WebhookSignature.verify_header(payload, header or "", secret,
                                          tolerance=SIGNATURE_TOLERANCE_S)
