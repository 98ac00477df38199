"""WSGI entry for production: `gunicorn -c gunicorn.conf.py wsgi:app` (see README § Producción).

Importing it only builds the app. Migrations and reference data run once per deploy (`flask db upgrade`,
`flask seed`) and the outbox is its own process (`flask enviar-correos`), never at import in every worker.
"""

from app import create_app

app = create_app()
