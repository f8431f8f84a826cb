"""docs/indicators.md defines every indicator of the registry."""
from pathlib import Path

from motcua.reports.indicators import INDICATORS

DOC = Path(__file__).resolve().parents[3] / "docs" / "indicators.md"


def test_every_indicator_is_defined_in_the_docs():
    text = DOC.read_text(encoding="utf-8")
    missing = [key for key in INDICATORS if f"`{key}`" not in text]
    assert not missing, f"add these indicators to docs/indicators.md: {missing}"
