"""The custody channel's domain rules (issue 13): adding people in prison with their signed
consent, work readiness, transfers, release and the account hand-over, checked messages and
Jobpoint terminals. No HTTP here: the prisons, messages, kiosk and auth areas call it.

Each function writes its audit event in the caller's transaction and flushes; the request
commits (marketplace/__init__.py)."""


class CustodyError(ValueError):
    """A step that is not allowed now. The message is written for the person who tried it."""
