"""Error pages: GOV.UK style, no stack traces, nothing half-saved."""

import sqlalchemy as sa

from marketplace.models import Organisation
from tests.conftest import _test_config
from tests.pages import check_page


def test_server_error_is_a_plain_500_page_and_saves_nothing(app, db_session):
    from marketplace import create_app
    from marketplace.extensions import db
    from marketplace.permissions import public
    from marketplace.types import OrganisationSize, Sector

    broken = create_app(_test_config())

    @broken.route("/boom")
    @public
    def boom():
        db.session.add(Organisation(name="Half saved", sector=Sector.RETAIL,
                                    size=OrganisationSize.SMALL, region="London",
                                    alliance_level=1))
        db.session.flush()
        raise RuntimeError("secret internals")

    response = broken.test_client().get("/boom")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in check_page(body).h1.get_text()
    assert "secret internals" not in body and "Traceback" not in body
    with broken.app_context():
        assert db.session.scalar(sa.select(Organisation).where(
            Organisation.name == "Half saved")) is None


def test_malformed_id_is_404(app, db_session):
    from marketplace.types import Role
    from tests import factories

    client = app.test_client(user=factories.user(Role.ADMIN))
    assert client.get("/admin/organisations/abc").status_code == 404
    assert client.get("/admin/organisations/999999999").status_code == 404
