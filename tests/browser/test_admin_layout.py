"""The editors' change forms in real Chromium: at 1280 px they fit the window (no sideways
scrolling, the citations table included), and at 360 px every field is reachable without the
page scrolling sideways (a table of inline rows may scroll inside its own box). Screenshots go
to test-artifacts/screenshots/admin/."""

import pytest
from django.urls import reverse

from cpec_tracker.editing.roles import CHIEF_EDITORS
from meetings.models import Meeting, Official
from projects.models import Project

from .conftest import DESKTOP, PHONE, SCREENSHOTS
from .test_adding_an_article import login, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# The seeded records whose change forms are measured: each has citations, and the meeting and
# the project have tables of child rows (participations, outcomes, milestones, key figures…).
CHANGE_FORMS = {
    "meeting": (Meeting, "jwg-icc-5th-meeting"),
    "project": (Project, "chashma-nuclear-power-plant-unit-5"),
    "official": (Official, "amna-baloch"),
}

CITATIONS = "#cpec_tracker-citation-content_type-object_id-group"
# Each shown field of the form that lies outside the window, measured by the box that scrolls
# it: the field's own when only the page scrolls, else that of the nearest ancestor scrolling
# sideways by itself (a block with overflow-x auto or scroll), which must lie inside the window.
FIELDS_OUTSIDE = """() => {
  const width = document.documentElement.clientWidth;
  const selector = "#content-main form :is(input:not([type=hidden]), select, textarea)";
  const outside = [];
  for (const field of document.querySelectorAll(selector)) {
    if (!field.getClientRects().length) {
      continue;  // not shown: the template row for "Add another", a collapsed fieldset
    }
    let box = field;
    for (let parent = field.parentElement; parent !== document.body; parent = parent.parentNode) {
      const style = getComputedStyle(parent);
      if (/auto|scroll/.test(style.overflowX) && !style.display.startsWith("table")) {
        box = parent;
        break;
      }
    }
    const rect = box.getBoundingClientRect();
    if (rect.left < -1 || rect.right > width + 1) {
      const span = `${Math.round(rect.left)}-${Math.round(rect.right)} px`;
      outside.push(`${field.name || field.id}: ${span}`);
    }
  }
  return outside;
}"""


# Each table of inline rows that scrolls sideways in its own box: its id, its width, its box's.
TABLES_SCROLLING = """() => [...document.querySelectorAll(".inline-group .tabular")]
  .filter((box) => box.getClientRects().length && box.scrollWidth > box.clientWidth)
  .map((box) => `${box.closest(".inline-group").id}: ${box.scrollWidth} in ${box.clientWidth}`)"""


def test_change_forms_fit_a_desktop_and_a_phone(page, site, strict_csp, console_errors):
    folder = SCREENSHOTS / "admin"
    folder.mkdir(parents=True, exist_ok=True)
    login(page, site, make_user("chief", CHIEF_EDITORS))
    problems, widths = [], {}
    for name, (model, slug) in CHANGE_FORMS.items():
        url = site + change_path(model.objects.get(slug=slug))
        for viewport in (DESKTOP, PHONE):
            page.set_viewport_size(viewport)
            page.goto(url)
            assert page.locator("#content-main form").count() == 1, url
            width = page.evaluate("document.documentElement.scrollWidth")
            widths[f"{name} at {viewport['width']}"] = width
            if width > viewport["width"]:
                problems.append(f"{name} at {viewport['width']} px is {width} px wide")
            problems.extend(
                f"{name} at {viewport['width']} px, field outside the window: {field}"
                for field in page.evaluate(FIELDS_OUTSIDE)
            )
            scrolling = page.evaluate(TABLES_SCROLLING)
            if viewport == DESKTOP:  # on a phone a table may scroll in its box; here, none
                problems.extend(f"{name} at 1280 px, table scrolls: {box}" for box in scrolling)
            else:
                print(f"{name} at 360 px, tables scrolling in their own box:", scrolling)
            shot = folder / f"{name}-change-{viewport['width']}"
            page.screenshot(path=f"{shot}.png", full_page=True)
            page.locator(CITATIONS).screenshot(path=f"{shot}-citations.png")
    print("admin change form widths (px):", widths)
    problems.extend(console_errors)
    print(*problems, sep="\n")
    assert problems == []


def change_path(record):
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])
