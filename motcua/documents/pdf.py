"""Django template → HTML → PDF with WeasyPrint, using only the fonts committed in `fonts/` and never the network.

Two rules make a paper print the same on every server and keep rendering safe:

- **Committed fonts.** The print stylesheet (`templates/documents/_print.css`) declares its own families, "MotCuaSerif"
  and "MotCuaSans", with `@font-face` rules whose `src` are absolute `file://` URLs into `fonts/` built here at render
  time; no system font is asked for by name, so a server without DejaVu (or with other versions) prints the same.
- **No network.** WeasyPrint fetches every stylesheet, image and font through the `LocalFetcher` below, which serves
  `data:` URIs (the QR and barcode images of `codes.py`) and files inside `fonts/`, and refuses everything else —
  `http(s)://`, `ftp://`, and `file://` outside `fonts/` — so text typed by an applicant can never make the server
  open a connection or read a local file, even if escaping failed somewhere.
"""
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher

FONTS_DIR = Path(__file__).resolve().parent / "fonts"


class FetchRefused(ValueError):
    """A paper asked for a resource that is neither a `data:` URI nor a file in the app's fonts directory."""


def fonts_url() -> str:
    """The fonts directory as an absolute `file://` URL ending in `/` (percent-encoded, so safe inside CSS)."""
    return FONTS_DIR.as_uri() + "/"


def check_url(url: str) -> None:
    """Raise `FetchRefused` unless `url` is a `data:` URI or a `file://` URL of an existing file inside `fonts/`."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "data":
        return
    if scheme == "file" and parts.netloc in ("", "localhost"):
        path = Path(url2pathname(parts.path)).resolve()  # resolve() undoes "..", and symlinks pointing elsewhere
        if path.is_relative_to(FONTS_DIR) and path.is_file():
            return
    raise FetchRefused(f"Papers may load only data: URIs and their own fonts; refused {url[:200]!r}")


class LocalFetcher(URLFetcher):
    """WeasyPrint URL fetcher that allows `data:` and `file://` inside `fonts/` only (see `check_url`).

    WeasyPrint logs a refused resource as a warning and renders without it.
    """

    def __init__(self, **kwargs):
        super().__init__(allowed_protocols=("data", "file"), allow_redirects=False, **kwargs)

    def fetch(self, url, headers=None):
        check_url(url)
        return super().fetch(url, headers)


def render_html(template_name: str, context: dict) -> str:
    """The paper as HTML (Django template, autoescaped), with `fonts_url` added for the `@font-face` rules."""
    return render_to_string(template_name, {**context, "fonts_url": fonts_url()})


def html_to_pdf(html: str) -> bytes:
    """Render HTML to PDF bytes; relative URLs resolve inside `fonts/`, and nothing outside it is fetched."""
    return HTML(string=html, base_url=fonts_url(), url_fetcher=LocalFetcher()).write_pdf()


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render a Django template (one of `templates/documents/`) to PDF bytes."""
    return html_to_pdf(render_html(template_name, context))


# The print stylesheet's denser settings (`html.compact`, `html.tight` in `_print.css`), tried in this order.
DENSITIES = ("", "compact", "tight")


def render_pdf_one_page(template_name: str, context: dict) -> bytes:
    """Render a one-page form (Mẫu 01–05) so that it fits one page: at the normal size, and if that runs over, at the
    denser sizes of `DENSITIES` in turn (smaller type, less space to sign). A list too long even for the densest
    size is printed on as many pages as it needs (the dossier code and "Trang x/y" are on every page)."""
    for density in DENSITIES:
        html = render_html(template_name, {**context, "density": density})
        document = HTML(string=html, base_url=fonts_url(), url_fetcher=LocalFetcher()).render()
        if len(document.pages) == 1:
            break
    return document.write_pdf()
