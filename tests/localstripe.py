"""localstripe (PyPI), a stateful Stripe-compatible server, run for the fidelity bond tests.

`run()` starts it on a free loopback port in a child process and stops it afterwards. What it
does and does not do was read from its source (localstripe 1.15, server.py, resources.py,
webhooks.py):

- PaymentIntents, PaymentMethods, Tokens, Charges and Refunds, kept in memory. A PaymentIntent
  created with `payment_method` and `confirm=true` is charged at once; card 4000000000000341
  is refused with HTTP 402 card_declined (4000000000000002 is refused only when attached to a
  customer, not when charged).
- Webhooks registered with POST /_config/webhooks/<id> (url, secret), signed like Stripe's
  (`t=<created>,v1=<HMAC-SHA256 of "t.payload">`) and sent about a second after the event:
  payment_intent.succeeded and payment_intent.payment_failed. It never sends charge.refunded,
  so the tests build that event from the charge localstripe itself returns and sign it; for the
  demo (`main`, `make run-stripe`) the launcher makes localstripe send it after each refund.
- It serves its stand-in for Stripe.js at /js.stripe.com/v3/: a card element and
  createToken, but no Payment Element and no card confirmation without 3-D Secure.
- It ignores Idempotency-Key headers: a double submit is stopped by the bond's own row lock.
- Its own `start()` listens on every interface and saves its store to /tmp/localstripe.pickle
  on every change; here it listens on 127.0.0.1 only and keeps its store in memory.
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import requests

PUBLISHABLE_KEY = "pk_test_localstripe"
SECRET_KEY = "sk_test_localstripe"

_LAUNCH = """
import sys
from aiohttp import web
from localstripe import resources
from localstripe.server import app
resources.Store.dump_to_disk = lambda self: None  # memory only: no shared /tmp file
if sys.argv[2] == "charge.refunded":
    # Stripe sends charge.refunded when a refund is made; localstripe does not. Send it.
    _refund_init = resources.Refund.__init__
    def _refund_then_event(self, *args, **kwargs):
        _refund_init(self, *args, **kwargs)
        charge = resources.Charge._api_retrieve(self.charge)
        resources.schedule_webhook(resources.Event("charge.refunded", charge))
    resources.Refund.__init__ = _refund_then_event
web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=None)
"""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def run(port: int | None = None, *, send_charge_refunded: bool = False,
        timeout: float = 20.0) -> Iterator[str]:
    """A fresh localstripe on 127.0.0.1 (on a free port unless one is given); yields its base
    URL. `send_charge_refunded` adds the one event the bonds need that localstripe never sends
    (for the demo; the tests deliver it themselves, built from localstripe's charge)."""
    port = port or free_port()
    process = subprocess.Popen([sys.executable, "-c", _LAUNCH, str(port),
                                "charge.refunded" if send_charge_refunded else "-"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               env={**os.environ, "PYTHONWARNINGS": "ignore"})
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError("localstripe did not start: "
                                   + process.stderr.read().decode(errors="replace")[-2000:])
            try:
                if requests.get(f"{base}/js.stripe.com/v3/", timeout=1).ok:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"localstripe did not answer on {base} in {timeout} s")
            time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stderr.close()


def register_webhook(base: str, url: str, secret: str, name: str = "marketplace") -> None:
    response = requests.post(f"{base}/_config/webhooks/{name}",
                             json={"url": url, "secret": secret}, timeout=5)
    response.raise_for_status()


def card_token(base: str, number: str) -> str:
    """What Stripe.js's createToken does in the browser: the card goes to Stripe (here,
    localstripe) with the publishable key, and only the card's id comes back to us."""
    response = requests.post(f"{base}/v1/tokens", data={
        "card[number]": number, "card[exp_month]": "12", "card[exp_year]": "2034",
        "card[cvc]": "123", "key": PUBLISHABLE_KEY}, timeout=5)
    response.raise_for_status()
    return response.json()["card"]["id"]


def main() -> None:
    """`python -m tests.localstripe --port 8420 --webhook URL --secret SECRET`: localstripe on
    127.0.0.1 with the app's webhook registered, until interrupted (`make run-stripe`)."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--port", type=int, default=8420)
    parser.add_argument("--webhook", required=True, help="the app's /stripe/webhook URL")
    parser.add_argument("--secret", required=True, help="the app's STRIPE_WEBHOOK_SECRET")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # stop localstripe with us
    with run(args.port, send_charge_refunded=True) as base:
        register_webhook(base, args.webhook, args.secret)
        print(f"localstripe on {base}, sending webhooks to {args.webhook}", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            while True:
                time.sleep(3600)


if __name__ == "__main__":
    main()
