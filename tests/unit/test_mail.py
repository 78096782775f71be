"""The SMTP mail backend against a real SMTP server (aiosmtpd) on this machine: plain relay,
STARTTLS with a password, TLS from the start, and the errors a person sees when mail fails."""

import datetime as dt
import ipaddress
import ssl

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from flask import Flask

from marketplace import mail
from tests.smtp import USER, free_port

QUOTED_PASSWORD = "s3cret%3Awith%2Fodd%40chars"


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for localhost, and its file for the client to trust."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(hours=1))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    folder = tmp_path_factory.mktemp("tls")
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(folder / "cert.pem", folder / "key.pem")
    return folder / "cert.pem", context


def _app(url: str | None) -> Flask:
    app = Flask(__name__)
    app.config.update(MAIL_BACKEND="smtp", MAIL_SMTP_URL=url,
                      MAIL_FROM="Fair Chance Marketplace <no-reply@fairchance.example>")
    return app


def test_smtp_relay_delivers_the_message(smtp_server):
    inbox, port = smtp_server()
    with _app(f"smtp://localhost:{port}").app_context():
        mail.send("jo@example.com", "Reset your password", "Use this link: http://x/1")
    [message] = inbox.messages
    assert (message["To"], message["Subject"]) == ("jo@example.com", "Reset your password")
    assert message["From"] == "Fair Chance Marketplace <no-reply@fairchance.example>"
    assert message["Message-ID"] and message["Date"]
    assert message.get_payload(decode=True).decode().strip() == "Use this link: http://x/1"


def test_starttls_with_a_password(smtp_server, certificate, monkeypatch):
    cert_file, server_context = certificate
    monkeypatch.setenv("SSL_CERT_FILE", str(cert_file))  # trust our self-signed certificate
    inbox, port = smtp_server(tls_context=server_context, require_starttls=True,
                              auth_required=True, passwords=True)
    with _app(f"smtp+starttls://{USER}:{QUOTED_PASSWORD}@localhost:{port}").app_context():
        mail.send("pat@builder.example", "Confirm your email address", "Hello")
    assert [m["To"] for m in inbox.messages] == ["pat@builder.example"]
    assert inbox.logins == [USER]


def test_tls_from_the_start(smtp_server, certificate, monkeypatch):
    cert_file, server_context = certificate
    monkeypatch.setenv("SSL_CERT_FILE", str(cert_file))
    # The whole connection is TLS, which aiosmtpd's SMTP layer cannot see: it must be told
    # that AUTH without STARTTLS is fine (and not to require AUTH, which would warn).
    inbox, port = smtp_server(ssl_context=server_context, auth_require_tls=False,
                              passwords=True)
    with _app(f"smtps://{USER}:{QUOTED_PASSWORD}@localhost:{port}").app_context():
        mail.send("kim@prison.example", "You are invited", "Hello")
    assert [m["Subject"] for m in inbox.messages] == ["You are invited"]
    assert inbox.logins == [USER]


def test_an_untrusted_certificate_is_refused(smtp_server, certificate):
    _, server_context = certificate
    inbox, port = smtp_server(tls_context=server_context, require_starttls=True)
    with _app(f"smtp+starttls://localhost:{port}").app_context(), \
            pytest.raises(mail.MailNotSent, match="CERTIFICATE_VERIFY_FAILED"):
        mail.send("jo@example.com", "Subject", "Body")
    assert inbox.messages == []


def test_a_wrong_password_is_mail_not_sent(smtp_server, certificate, monkeypatch):
    cert_file, server_context = certificate
    monkeypatch.setenv("SSL_CERT_FILE", str(cert_file))
    inbox, port = smtp_server(tls_context=server_context, require_starttls=True,
                              auth_required=True, passwords=True)
    with _app(f"smtp+starttls://{USER}:wrong@localhost:{port}").app_context(), \
            pytest.raises(mail.MailNotSent):
        mail.send("jo@example.com", "Subject", "Body")
    assert inbox.messages == []


def test_no_server_is_mail_not_sent():
    with _app(f"smtp://127.0.0.1:{free_port()}").app_context(), \
            pytest.raises(mail.MailNotSent):
        mail.send("jo@example.com", "Subject", "Body")


@pytest.mark.parametrize("url, settings", [
    ("smtp+starttls://apikey:p%40ss@smtp.example", ("smtp.example", 587, "starttls", "apikey",
                                                     "p@ss")),
    ("smtps://u:p@smtp.example:2465", ("smtp.example", 2465, "tls", "u", "p")),
    ("smtp://relay.internal", ("relay.internal", 25, "none", None, None)),
])
def test_smtp_url_is_read(url, settings):
    found = mail.SmtpSettings.from_url(url)
    assert (found.host, found.port, found.security, found.username, found.password) == settings
