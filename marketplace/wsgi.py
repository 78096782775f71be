"""The WSGI entry point for a production server: `gunicorn -c gunicorn.conf.py
marketplace.wsgi:app`. Each worker imports this and so builds its own app (and loads its own
copy of the embedding model) after gunicorn forks it: nothing is shared across a fork. It warms
itself (templates, the skills taxonomy, search indices, one ranking) before it takes a request.

Then everything loaded so far is moved out of the garbage collector's sight (`gc.freeze`): the
model, the taxonomy's phrase index and the rest are millions of long-lived objects, and a full
collection walking them paused a request now and then for a few hundred milliseconds."""

import gc

from marketplace import create_app
from marketplace.health import warm

app = create_app()
app.logger.info("Worker warmed in %.1f s.", warm(app))
gc.collect()
gc.freeze()
