"""Field-level encryption for criminal offence data (UK GDPR Art. 10: special category data).

Values are encrypted with Fernet (AES-128-CBC + HMAC-SHA256) before they reach the database, so a
database dump, backup or log of SQL parameters never holds them in clear. The key comes from
configuration (`FIELD_ENCRYPTION_KEY`); several keys separated by commas allow rotation (the first
encrypts, all decrypt).
"""

import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken, MultiFernet

_fernet: MultiFernet | None = None


class EncryptionNotConfigured(RuntimeError):
    pass


def configure(keys: str) -> None:
    global _fernet
    try:
        _fernet = MultiFernet([Fernet(k.strip().encode()) for k in keys.split(",") if k.strip()])
    except (ValueError, TypeError) as error:
        raise EncryptionNotConfigured(
            "FIELD_ENCRYPTION_KEY is not a valid Fernet key. Make one with: python -c "
            "'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
        ) from error


def _require() -> MultiFernet:
    if _fernet is None:
        raise EncryptionNotConfigured("Field encryption used before create_app configured a key.")
    return _fernet


def encrypt(value: str) -> str:
    return _require().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _require().decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise EncryptionNotConfigured(
            "A stored value could not be decrypted: FIELD_ENCRYPTION_KEY does not match the key "
            "it was written with."
        ) from error


class EncryptedText(sa.TypeDecorator):
    """Text encrypted at rest. Not searchable or sortable in SQL, by design."""

    impl = sa.Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else encrypt(str(value))

    def process_result_value(self, value, dialect):
        return None if value is None else decrypt(value)
