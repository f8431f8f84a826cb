"""The staff site: desk officers, specialists, leaders, supervisors, catalogue editors and administrators."""
