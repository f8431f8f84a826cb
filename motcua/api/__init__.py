"""REST API v1 and its OpenAPI schema: a thin translation between other systems and the domain services."""
