"""Security headers on every response.

- A Content-Security-Policy that runs only our own script files, plus the one inline script of
  the GOV.UK page template (it marks the page as having JavaScript before anything draws), which
  carries a fresh nonce each request: the template reads `cspNonce`.
- No framing, anywhere (`frame-ancestors 'none'`, and X-Frame-Options for older browsers): a page
  with a consent or offer button inside another site's frame can be clicked by trickery.
- HSTS in production only: a development server on http://localhost must stay reachable.
- `Cache-Control: no-store` on every page, not only signed-in ones: pages carry CSRF tokens and
  personal details, and a shared computer's cache or a proxy must keep neither.
"""

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


def init_app(app: Flask) -> None:
    @app.context_processor
    def nonce():
        return {"cspNonce": csp_nonce()}

    @app.after_request
    def security_headers(response):
        headers = response.headers
        headers["Content-Security-Policy"] = CSP.format(nonce=csp_nonce())
        headers["X-Frame-Options"] = "DENY"
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "same-origin"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        if request.endpoint != "static":
            headers["Cache-Control"] = "no-store"
        if current_app.config["ENV"] == "production":
            headers["Strict-Transport-Security"] = HSTS
        return response
