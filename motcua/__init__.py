"""Một Cửa: the electronic one-stop shop for a province's administrative procedures."""
