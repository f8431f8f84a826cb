"""English uses the Vietnamese formats: dates dd/mm/yyyy and money in đồng whatever the interface language."""
from motcua.formats.vi.formats import *  # noqa: F403
