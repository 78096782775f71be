"""The WSGI entry point for a production server: `gunicorn -c gunicorn.conf.py
marketplace.wsgi:app`. Each worker imports this and so builds its own app (and loads its own
copy of the embedding model) after gunicorn forks it: nothing is shared across a fork."""

from marketplace import create_app

app = create_app()
