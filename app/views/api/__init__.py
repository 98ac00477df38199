"""REST API (FAB BaseApi): documented in the OpenAPI spec at /api/v1/_openapi."""
