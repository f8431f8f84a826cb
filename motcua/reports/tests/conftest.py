"""The dossier tests' fixtures (frozen clock, staff, procedures, intake) reused for the indicators."""
from motcua.dossiers.tests.conftest import building, clock_at, intake_of, land, receive, staff  # noqa: F401
