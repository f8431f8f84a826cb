"""The dossier lifecycle: intake, numbering, steps and handoffs, pauses, supplements, apologies, results, returns."""
