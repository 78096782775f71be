"""Security headers on every response.

- A Content-Security-Policy that runs only our own script files, plus the one inline script of
  the GOV.UK page template (it marks the page as having JavaScript before anything draws), which
  carries a fresh nonce each request: the template reads `cspNonce`.
- No framing, anywhere (`frame-ancestors 'none'`, and X-Frame-Options for older browsers): a page
  with a consent or offer button inside another site's frame can be clicked by trickery.
- HSTS in production only: a development server on http://localhost must stay reachable.
- `Cache-Control: no-store` on every page, not only signed-in ones: pages carry CSRF tokens and
  personal details, and a shared computer's cache or a proxy must keep neither.
- One exception, asked for by name: the fidelity bond payment page loads Stripe.js, which needs
  Stripe's origins in script-src and connect-src (and frame-src for its card fields). That page's
  view calls `allow_payment_origins` for its own response; no other page gets them.
"""

import re
import secrets

from flask import Flask, current_app, g, request

CSP = ("default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self'; "
       "img-src 'self'; font-src 'self'; connect-src 'self'; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
HSTS = "max-age=31536000; includeSubDomains"


def csp_nonce() -> str:
    """This request's nonce for inline scripts (one per request, made when first asked for)."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    return g.csp_nonce


# The only directives a page may widen, and only through allow_payment_origins.
PAYMENT_DIRECTIVES = ("script-src", "connect-src", "frame-src")


def allow_payment_origins(origins: dict[str, list[str]]) -> None:
    """Let this response's page load Stripe.js from, and talk to, these origins (each an
    https or http origin with no path). For the bond payment page only."""
    for directive, values in origins.items():
        if directive not in PAYMENT_DIRECTIVES:
            raise ValueError(f"{directive} is not a payment directive")
        for origin in values:
            if not re.fullmatch(r"https?://[A-Za-z0-9.\-]+(:\d+)?", origin):
                raise ValueError(f"{origin!r} is not an origin")
    g.payment_origins = origins


def _policy() -> str:
    policy = CSP.format(nonce=csp_nonce())
    origins = g.get("payment_origins")
    if not origins:
        return policy
    for directive in ("script-src", "connect-src"):
        if origins.get(directive):
            added = " ".join(origins[directive])
            policy = re.sub(rf"\b{directive} ([^;]*);", rf"{directive} \1 {added};", policy,
                            count=1)
    if origins.get("frame-src"):
        policy += f"; frame-src {' '.join(origins['frame-src'])}"
    return policy


def init_app(app: Flask) -> None:
    @app.context_processor
    def nonce():
        return {"cspNonce": csp_nonce()}

    @app.after_request
    def security_headers(response):
        headers = response.headers
        headers["Content-Security-Policy"] = _policy()
        headers["X-Frame-Options"] = "DENY"
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "same-origin"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        if request.endpoint != "static":
            headers["Cache-Control"] = "no-store"
        if current_app.config["ENV"] == "production":
            headers["Strict-Transport-Security"] = HSTS
        return response
