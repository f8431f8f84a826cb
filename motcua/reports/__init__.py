"""Supervision: indicators defined once, the rollups that make them fast, evaluations, dashboards and reports."""
