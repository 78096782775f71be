"""Page-quality checks run on every page a test fetches (after GOV.UK Notify's client_request).

Every HTML page must parse as valid HTML5, have exactly one <h1> whose text is in the <title>,
no duplicate ids, and a CSRF token in every POST form. Every question must be visibly asked:
each <fieldset> has a <legend> with text a person can see, and each form control a visible
<label> (or aria-labelledby pointing at visible text). Every response must carry the security
headers (marketplace/headers.py), and every inline script the request's CSP nonce.
"""

import re

import html5lib
from bs4 import BeautifulSoup

# A form given a prefix (several forms on one page) names its token "<prefix>-csrf_token".
CSRF_FIELD = re.compile(r"^(\w+-)?csrf_token$")


class PageProblem(AssertionError):
    pass


def check_page(html: str) -> BeautifulSoup:
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    try:
        parser.parse(html)
    except html5lib.html5parser.ParseError as error:
        line = html.splitlines()[parser.errors[0][0][0] - 1] if parser.errors else ""
        raise PageProblem(f"Invalid HTML: {error}\n  near: {line.strip()[:200]}") from error
    soup = BeautifulSoup(html, "html.parser")
    h1s = soup.find_all("h1")
    if len(h1s) != 1:
        raise PageProblem(f"Expected one <h1>, found {len(h1s)}")
    heading = " ".join(h1s[0].get_text().split())
    title = " ".join(soup.title.get_text().split()) if soup.title else ""
    if heading not in title:
        raise PageProblem(f"<h1> {heading!r} is not in <title> {title!r}")
    ids = [tag["id"] for tag in soup.find_all(id=True)]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise PageProblem(f"Duplicate ids: {sorted(duplicates)}")
    for form in soup.find_all("form"):
        if form.get("method", "get").lower() == "post" \
                and not form.find("input", attrs={"name": CSRF_FIELD}):
            raise PageProblem(f"POST form without a CSRF token: action={form.get('action')}")
    check_questions(soup)
    check_acronyms(soup)
    return soup


# Acronyms a page once showed in lower case ("basic dbs check"), which reads as a word nobody knows.
ACRONYMS = re.compile(r"\b(dbs|rotl)\b", re.IGNORECASE)


def check_acronyms(soup: BeautifulSoup) -> None:
    main = soup.select_one("main") or soup
    for found in ACRONYMS.findall(main.get_text(" ")):
        if found != found.upper():
            raise PageProblem(f"{found!r} is an acronym: write it in capitals")


HIDDEN = "govuk-visually-hidden"
# Controls a person does not fill in: nothing to label.
UNLABELLED_INPUT_TYPES = {"hidden", "submit", "button", "image", "reset"}


def _hidden(tag) -> bool:
    """Whether the tag, or something around it, is hidden from sight."""
    return any(HIDDEN in (t.get("class") or []) or t.has_attr("hidden")
               for t in [tag, *tag.parents] if hasattr(t, "get"))


def visible_text(tag) -> str:
    """The text of `tag` a sighted person reads: without visually hidden parts."""
    if _hidden(tag):
        return ""
    words = [str(s) for s in tag.find_all(string=True)
             if not any(HIDDEN in (p.get("class") or []) for p in s.parents if hasattr(p, "get"))]
    return " ".join(" ".join(words).split())


def check_questions(soup: BeautifulSoup) -> None:
    """axe passes a fieldset with an empty legend and a label hidden from sight; a person sees
    Day, Month, Year or a list of choices without the question. Refuse both."""
    for fieldset in soup.find_all("fieldset"):
        legend = fieldset.find("legend")
        if legend is None or legend.find_parent("fieldset") is not fieldset \
                or not visible_text(legend):
            raise PageProblem(f"<fieldset> without a visible legend: {fieldset}"[:300])
    for control in soup.find_all(["input", "select", "textarea"]):
        if control.name == "input" and control.get("type", "text") in UNLABELLED_INPUT_TYPES:
            continue
        labelled_by = [soup.find(id=i) for i in control.get("aria-labelledby", "").split()]
        if any(tag is not None and visible_text(tag) for tag in labelled_by):
            continue
        label = soup.find("label", attrs={"for": control.get("id")}) if control.get("id") \
            else control.find_parent("label")
        if label is None or not visible_text(label):
            raise PageProblem(f"Form control without a visible label: {control}"[:300])


SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}
CSP_MUST_SAY = ("default-src 'self'", "frame-ancestors 'none'", "object-src 'none'",
                "base-uri 'none'")


def check_headers(response) -> None:
    """The security headers, and on an HTML page this response's nonce on every inline script."""
    for name, value in SECURITY_HEADERS.items():
        if response.headers.get(name) != value:
            raise PageProblem(f"{name} is {response.headers.get(name)!r}, not {value!r}")
    csp = response.headers.get("Content-Security-Policy", "")
    missing = [d for d in CSP_MUST_SAY if d not in csp]
    if missing or "unsafe-inline" in csp or "unsafe-eval" in csp:
        raise PageProblem(f"Content-Security-Policy {csp!r} lacks {missing} or allows inline")
    if response.mimetype != "text/html":
        return
    nonce = re.search(r"'nonce-([^']+)'", csp)
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    for script in page.find_all("script", src=False):
        if nonce is None or script.get("nonce") != nonce.group(1):
            raise PageProblem(f"Inline script without this response's nonce: {script}"[:200])


class PageClient:
    """Wraps a Flask test client: `get()` checks page quality and returns the parsed page;
    `post()` fetches the form first to send its CSRF token, like a browser."""

    def __init__(self, client):
        self.client = client

    def get(self, url: str, expected_status: int = 200, **kwargs) -> BeautifulSoup:
        response = self.client.get(url, **kwargs)
        assert response.status_code == expected_status, (
            f"GET {url}: expected {expected_status}, got {response.status_code}"
        )
        if response.mimetype == "text/html" and expected_status != 302:
            page = check_page(response.get_data(as_text=True))
        else:
            page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
        check_headers(response)
        return page

    def token(self, url: str) -> str:
        page = BeautifulSoup(self.client.get(url).get_data(as_text=True), "html.parser")
        field = page.find("input", attrs={"name": "csrf_token"})
        assert field is not None, f"No CSRF token on {url}"
        return field["value"]

    def post(self, url: str, data: dict | None = None, *, form_url: str | None = None,
             expected_status: int | None = None, follow_redirects: bool = False):
        data = dict(data or {})
        data.setdefault("csrf_token", self.token(form_url or url))
        response = self.client.post(url, data=data, follow_redirects=follow_redirects)
        if expected_status is not None:
            assert response.status_code == expected_status, (
                f"POST {url}: expected {expected_status}, got {response.status_code}\n"
                + response.get_data(as_text=True)[:3000]
            )
        return response
