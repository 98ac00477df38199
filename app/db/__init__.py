"""The database around the ORM: the embedded PostgreSQL used when DATABASE_URL is not set."""
