"""The dossier code as a Code128 barcode and the tracking link as a QR code, both SVG `data:` URIs.

Mẫu 01 (Circular 01/2018/TT-VPCP) carries both, so that a desk scanner reads the code and a phone opens the tracking
page. Being `data:` URIs, they pass the no-network URL fetcher of `pdf.py` and need no file on disk.
"""
import base64
import io
import re

import segno
from barcode import Code128
from barcode.writer import SVGWriter

SVG_MIME = "image/svg+xml"
# python-barcode writes a DOCTYPE naming the SVG 1.1 DTD by URL; nothing fetches it, but the image needs no DTD.
_DOCTYPE = re.compile(r"<!DOCTYPE[^>]*>\s*", re.DOTALL)


def qr_svg_data_uri(text: str) -> str:
    """A QR code (error correction M, the standard 4-module quiet zone) of `text` as an SVG `data:` URI."""
    qr = segno.make_qr(text, error="m", boost_error=False)
    # omitsize: a viewBox and no width/height, so the stylesheet sets the printed size.
    return qr.svg_data_uri(scale=1, border=4, omitsize=True)


def barcode_svg_data_uri(text: str) -> str:
    """A Code128 barcode of `text` (printable ASCII, e.g. `000.00.40.H47-261127-0001`) as an SVG `data:` URI.

    No human-readable line under the bars: the papers print the code as text next to it, in the paper's own font.
    Raises `ValueError` for text Code128 cannot encode.
    """
    if not text or not text.isascii() or not text.isprintable():
        raise ValueError(f"Code128 needs printable ASCII, got {text!r}")
    buffer = io.BytesIO()
    options = {"write_text": False, "module_width": 0.25, "module_height": 8.0, "quiet_zone": 2.5}
    Code128(text, writer=SVGWriter()).write(buffer, options=options)
    svg = _DOCTYPE.sub("", buffer.getvalue().decode("utf-8"))
    # The SVG keeps its size in mm (bars of 0.25 mm, the usual minimum for desk scanners): print it unscaled.
    return f"data:{SVG_MIME};base64,{base64.b64encode(svg.encode('utf-8')).decode('ascii')}"
