"""In Chromium, by keyboard: the first Tab reaches the skip link; the focus ring has 3:1 contrast on white cards, the
page grey and the red header (issue 12 item 15); a field reached by Tab on the intake form is never hidden under
its sticky action bar (item 16)."""
import re

import pytest
from django.test import Client

from motcua.accounts.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The focused element's ring colour and the colour behind the ring: the first opaque background of its parent chain,
# starting at the element itself when the ring is drawn inside it (a negative outline offset).
RING = """() => {
  const el = document.activeElement, style = getComputedStyle(el);
  let node = parseFloat(style.outlineOffset) < 0 ? el : el.parentElement, bg = 'rgb(255, 255, 255)';
  while (node) {
    const c = getComputedStyle(node).backgroundColor;
    if (c && c !== 'transparent' && !c.startsWith('rgba(0, 0, 0, 0')) { bg = c; break; }
    node = node.parentElement;
  }
  return {ring: style.outlineColor, width: parseFloat(style.outlineWidth), styleName: style.outlineStyle, behind: bg,
          inHeader: !!el.closest('header.site'), inCard: !!el.closest('.card'), tag: el.tagName, cls: el.className};
}"""


def luminance(rgb: str) -> float:
    channels = [int(v) / 255 for v in re.findall(r"\d+", rgb)[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_first_tab_reaches_the_skip_link_and_every_focus_ring_has_3_to_1_contrast(browser_page):
    page = browser_page
    page.goto(page.base_url + "/tai-khoan/dang-nhap/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    seen = {"header": None, "card": None, "page": None}
    for _ in range(40):
        ring = page.evaluate(RING)
        if ring["tag"] == "BODY":  # past the last element: the browser's own controls next
            break
        where = "header" if ring["inHeader"] else "card" if ring["inCard"] else "page"
        assert ring["styleName"] != "none" and ring["width"] >= 2, str(ring)
        ratio = contrast(ring["ring"], ring["behind"])
        assert ratio >= 3, f"focus ring {ring['ring']} on {ring['behind']} ({where}, {ring['tag']}): {ratio:.1f}:1"
        seen[where] = seen[where] or ratio
        page.keyboard.press("Tab")
    assert all(seen.values()), seen  # a ring was checked on the header, inside a card and on the page grey


@pytest.fixture
def intake_page(browser_page, org, make_user, make_procedure, procedure_data):
    officer = make_user(Role.DESK_OFFICER, org["000.00.40.H47"], username="tiepnhan")
    version = make_procedure({**procedure_data, "agencies": ["000.00.40.H47"], "components": [
        {"name": f"Thành phần hồ sơ số {n}", "required": True, "originals": 1} for n in range(1, 7)]})
    client = Client()
    client.force_login(officer)
    page = browser_page
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": page.base_url}])
    page.set_viewport_size({"width": 1280, "height": 700})
    page.goto(f"{page.base_url}/workspace/ho-so/tiep-nhan/?procedure={version.procedure.code}")
    return page


def test_fields_reached_by_tab_are_not_covered_by_the_sticky_action_bar(intake_page):
    page = intake_page
    page.locator("form input:not([type=hidden])").first.focus()
    covered = []
    for _ in range(60):
        state = page.evaluate("""() => {
          const el = document.activeElement, bar = document.querySelector('.sticky-actions');
          if (!el || bar.contains(el) || !el.closest('form')) return null;
          const r = el.getBoundingClientRect(), b = bar.getBoundingClientRect();
          return {name: el.name || el.id, bottom: r.bottom, barTop: b.top};
        }""")
        if state is None:
            break
        if state["bottom"] > state["barTop"] + 0.5:
            covered.append(state)
        page.keyboard.press("Tab")
    assert not covered, f"fields under the action bar when focused: {covered}"
