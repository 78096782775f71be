"""The demo data shows the custody channel to the demo PEL (HMP Leeds): consent on file,
readiness with history, messages waiting for their check (one held for a phone number), a
Jobpoint and its request, and someone released whose record they can still read."""

import pytest
import sqlalchemy as sa

from marketplace import demo
from marketplace.custody import kiosk, messages, people
from marketplace.models import User

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("demo")]


def test_the_demo_pel_sees_the_custody_channel(db_session):
    demo.run(seed=11, echo=lambda line: None)
    pel = db_session.scalar(sa.select(User).where(User.email == f"pel@{demo.DOMAIN}"))
    queue = messages.queue(pel)
    assert len(queue) == 2 and sum(1 for m in queue if m.held_reason) == 1
    assert len(kiosk.requests_for(pel)) == 1 and kiosk.devices(pel)
    (released,) = people.released_people(pel)
    assert people.current_consent(released) is not None
    some = queue[0].application.candidate
    assert people.current_consent(some) is not None
