"""Outside contact details in a message: phone numbers, email addresses, web links and postal
addresses. A person in custody must not receive an employer's (nor send their own) without their
PEL seeing it first: a message with any is held with the reason (custody/messages.py).

Deliberately eager: a false alarm costs the PEL a glance and a "return with a reason"; a miss
puts a phone number on a wing. Pure functions, no database."""

import re

_EMAIL = re.compile(r"[\w.+-]+\s*(@|\(at\)|\[at\])\s*[\w-]+(\.[\w-]+)+", re.IGNORECASE)
_LINK = re.compile(
    r"(https?://|www\.)\S+|\b[\w-]+\.(com|co\.uk|org|org\.uk|net|uk|io|gov\.uk|info|biz|me)\b",
    re.IGNORECASE)
# Ten or more digits, allowing spaces, dots, dashes and brackets between them (07700 900 123,
# +44 (0)113 496 0000), and the word "zero"-free shortcuts people type.
_PHONE = re.compile(r"(\+?\d[\d\s().-]{8,}\d)")
_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE)
_STREET = re.compile(
    r"\b\d{1,4}[a-z]?,?\s+(\w+\s+){1,3}(street|st|road|rd|lane|ln|avenue|ave|close|drive|dr|"
    r"way|place|court|crescent|terrace|grove|gardens|square|hill|park)\b", re.IGNORECASE)


def found(text: str) -> list[str]:
    """What kinds of contact details the text holds, in words for the PEL: empty if none."""
    kinds = []
    if _EMAIL.search(text):
        kinds.append("an email address")
    if _LINK.search(text):
        kinds.append("a web link")
    if any(len(re.sub(r"\D", "", m.group(1))) >= 10 for m in _PHONE.finditer(text)):
        kinds.append("a phone number")
    if _POSTCODE.search(text) or _STREET.search(text):
        kinds.append("a postal address")
    return kinds


def reason(text: str) -> str | None:
    """Why a message must be held, or None: "It contains a phone number and a web link"."""
    kinds = found(text)
    if not kinds:
        return None
    listed = kinds[0] if len(kinds) == 1 else ", ".join(kinds[:-1]) + " and " + kinds[-1]
    return (f"It contains {listed}. People in prison may not be sent outside contact details: "
            "return it and ask the writer to take them out.")


def redact(text: str) -> str:
    """The text with any contact details replaced, for a Jobpoint screen: an employer's
    description may hold a phone number or a link that must not reach the wing."""
    text = _EMAIL.sub("[contact details removed]", text)
    text = _LINK.sub("[link removed]", text)
    text = _PHONE.sub(lambda m: "[phone number removed]"
                      if len(re.sub(r"\D", "", m.group(1))) >= 10 else m.group(0), text)
    text = _STREET.sub("[address removed]", text)
    return _POSTCODE.sub("[address removed]", text)
