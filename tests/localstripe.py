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
  so the tests build that event from the charge localstripe itself returns and sign it.
- It serves its stand-in for Stripe.js at /js.stripe.com/v3/: a card element and
  createToken, but no Payment Element and no card confirmation without 3-D Secure.
- It ignores Idempotency-Key headers: a double submit is stopped by the bond's own row lock.
- Its own `start()` listens on every interface and saves its store to /tmp/localstripe.pickle
  on every change; here it listens on 127.0.0.1 only and keeps its store in memory.
"""

import contextlib
import os
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
web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=None)
"""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def run(timeout: float = 20.0) -> Iterator[str]:
    """A fresh localstripe on a free loopback port; yields its base URL."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-c", _LAUNCH, str(port)],
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
