"""Error pages: GOV.UK style, no stack traces, nothing half-saved."""

import sqlalchemy as sa

from marketplace.models import Organisation
from tests.pages import check_page


def test_server_error_is_a_plain_500_page_and_saves_nothing(app, db_session, monkeypatch):
    """A crash half-way through a request: simulated by making the admin summary fail after
    it has written something (the one place this suite fakes a fault in our own code)."""
    from marketplace.admin import services
    from marketplace.extensions import db
    from marketplace.types import OrganisationSize, Role, Sector
    from tests import factories

    def crash():
        db.session.add(Organisation(name="Half saved", sector=Sector.RETAIL,
                                    size=OrganisationSize.SMALL, region="London",
                                    alliance_level=1))
        db.session.flush()
        raise RuntimeError("secret internals")

    monkeypatch.setattr(services, "summary", crash)
    client = app.test_client(user=factories.user(Role.ADMIN))
    response = client.get("/admin/")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in check_page(body).h1.get_text()
    assert "secret internals" not in body and "Traceback" not in body
    assert db_session.scalar(sa.select(Organisation).where(
        Organisation.name == "Half saved")) is None


def test_malformed_id_is_404(app, db_session):
    from marketplace.types import Role
    from tests import factories

    client = app.test_client(user=factories.user(Role.ADMIN))
    assert client.get("/admin/organisations/abc").status_code == 404
    assert client.get("/admin/organisations/999999999").status_code == 404
