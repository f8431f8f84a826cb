"""The dossier tests' fixtures, for the project-wide tests that walk dossiers (backup and restore)."""
from motcua.dossiers.tests.conftest import building, clock_at, intake_of, receive, staff  # noqa: F401
