"""Append-only audit log: who did or read what, when, from where."""
