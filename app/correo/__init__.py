"""Mail delivery: Flask-Mail with a time limit and verified TLS (the outbox worker in app/services/outbox.py sends)."""
