"""Satisfaction ratings of how a dossier was handled (LEGAL.md "Evaluating how procedures are handled")."""
