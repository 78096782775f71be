"""The WSGI entry point for a production server: `gunicorn -c gunicorn.conf.py
marketplace.wsgi:app`. Each worker imports this and so builds its own app (and loads its own
copy of the embedding model) after gunicorn forks it: nothing is shared across a fork. It warms
itself (templates, search indices) before it takes a request."""

from marketplace import create_app
from marketplace.health import warm

app = create_app()
app.logger.info("Worker warmed in %.1f s.", warm(app))
