"""The organisation tree: agencies, reception desks, electronic identifier codes, mergers."""
