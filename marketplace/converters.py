"""URL converters: a part of a URL that names a row matches only what the database can hold."""

from werkzeug.routing import BaseConverter, ValidationError

# Every id column is an `integer`: on PostgreSQL a larger value is an error, not a miss, and on
# SQLite one past 2**63 cannot even be sent. Such a URL must be a 404 before any query runs.
MAX_ID = 2_147_483_647


class IdConverter(BaseConverter):
    """`<id:name>`: a row id from 1 to MAX_ID, in ASCII digits without leading zeros, so each
    row has one URL. Anything else does not match the route, which is a 404."""

    regex = r"[1-9][0-9]{0,9}"
    weight = 50  # as werkzeug's int, so a literal path segment still wins over an id

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValidationError()
        return number

    def to_url(self, value: int) -> str:
        return str(int(value))
