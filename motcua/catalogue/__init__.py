"""The procedure catalogue: procedures, their versions, components, fees, process templates and search."""
