"""The dossier code as a Code128 barcode and the tracking link as a QR code, both SVG `data:` URIs.

Mẫu 01 (Circular 01/2018/TT-VPCP) carries both, so that a desk scanner reads the code and a phone opens the tracking
page. Being `data:` URIs, they pass the no-network URL fetcher of `pdf.py` and need no file on disk.
"""
import base64
import re

import segno
from barcode import Code128

SVG_MIME = "image/svg+xml"
_BARS = re.compile(r"1+")


def qr_svg_data_uri(text: str) -> str:
    """A QR code (error correction M, the standard 4-module quiet zone) of `text` as an SVG `data:` URI."""
    qr = segno.make_qr(text, error="m", boost_error=False)
    # omitsize: a viewBox and no width/height, so the stylesheet sets the printed size.
    return qr.svg_data_uri(scale=1, border=4, omitsize=True)


def barcode_svg_data_uri(text: str) -> str:
    """A Code128 barcode of `text` (printable ASCII, e.g. `000.00.40.H47-261127-0001`) as an SVG `data:` URI.

    python-barcode encodes (`Code128.build`: the modules, 1 for a bar); the SVG is written here as one path, in
    units of one module (0.25 mm, the usual minimum for desk scanners) with a 2.5 mm quiet zone and 8 mm bars, and
    its size in mm, so it prints unscaled. Its own SVG writer draws one `<rect>` per bar (about 80, each with units
    WeasyPrint parses), which cost a receipt more than the rest of its drawing. No human-readable line under the
    bars: the papers print the code as text next to it, in the paper's own font. Raises `ValueError` for text
    Code128 cannot encode.
    """
    if not text or not text.isascii() or not text.isprintable():
        raise ValueError(f"Code128 needs printable ASCII, got {text!r}")
    modules = Code128(text).build()[0]
    quiet, top, bars = 10, 4, 32  # in modules of 0.25 mm: 2.5 mm, 1 mm, 8 mm
    width, height = len(modules) + 2 * quiet, bars + 2 * top
    path = "".join(f"M{quiet + match.start()} {top}h{len(match.group())}v{bars}h-{len(match.group())}z"
                   for match in _BARS.finditer(modules))
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width * 0.25:g}mm" height="{height * 0.25:g}mm" '
           f'viewBox="0 0 {width} {height}"><rect width="{width}" height="{height}" fill="white"/>'
           f'<path d="{path}" fill="black"/></svg>')
    return f"data:{SVG_MIME};base64,{base64.b64encode(svg.encode('utf-8')).decode('ascii')}"
