"""Django template → HTML → PDF with WeasyPrint, using only the fonts committed in `fonts/` and never the network.

Two rules make a paper print the same on every server and keep rendering safe:

- **Committed fonts.** The papers use their own families, "MotCuaSerif" and "MotCuaSans", declared by the
  `@font-face` rules of `templates/documents/_fonts.css` whose `src` are absolute `file://` URLs into `fonts/`; no
  system font is asked for by name, so a server without DejaVu (or with other versions) prints the same. Those rules
  are parsed once per thread, into one WeasyPrint `FontConfiguration` and stylesheet that every paper reuses.
- **No network.** WeasyPrint fetches every stylesheet, image and font through the `LocalFetcher` below, which serves
  `data:` URIs (the QR and barcode images of `codes.py`) and files inside `fonts/`, and refuses everything else —
  `http(s)://`, `ftp://`, and `file://` outside `fonts/` — so text typed by an applicant can never make the server
  open a connection or read a local file, even if escaping failed somewhere.
"""
import threading
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
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


_engine = threading.local()


def _fonts() -> tuple[FontConfiguration, CSS]:
    """The committed fonts as a FontConfiguration and the stylesheet declaring them, made once per thread.

    Loading the six fonts on every paper was ~15 % of a receipt's CPU time (docs/performance.md, "Papers"). Kept per
    thread: WeasyPrint's font configuration (fontconfig, Pango) is not documented as safe to share between threads.
    """
    if getattr(_engine, "fonts", None) is None:
        config = FontConfiguration()
        sheet = CSS(string=render_to_string("documents/_fonts.css", {"fonts_url": fonts_url()}),
                    base_url=fonts_url(), url_fetcher=LocalFetcher(), font_config=config)
        _engine.fonts = (config, sheet)
    return _engine.fonts


def html_to_pdf(html: str) -> bytes:
    """Render HTML to PDF bytes, with the committed fonts; relative URLs resolve inside `fonts/`, and nothing outside
    it is fetched. HTML that declares fonts of its own gets a font configuration of its own (so that they do not
    pile up in the shared one)."""
    return _document(html).write_pdf()


def _document(html: str):
    """The laid-out WeasyPrint document of `html` with the committed fonts (see `html_to_pdf`)."""
    document = HTML(string=html, base_url=fonts_url(), url_fetcher=LocalFetcher())
    if "@font-face" in html:
        config = FontConfiguration()
        sheet = CSS(string=render_to_string("documents/_fonts.css", {"fonts_url": fonts_url()}),
                    base_url=fonts_url(), url_fetcher=LocalFetcher(), font_config=config)
    else:
        config, sheet = _fonts()
    return document.render(stylesheets=[sheet], font_config=config)


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
        document = _document(render_html(template_name, {**context, "density": density}))
        if len(document.pages) == 1:
            break
    return document.write_pdf()
