"""The accessible static site (`igf-sched site`, `export.site`): what each page tells a DC and
the MAG, that a site is written whole or not at all, and, in a real browser (Debian's chromium
driven by Playwright), that every page has zero axe-core violations at WCAG 2.2 AA (and of
axe's best practices: landmarks, headings) and that every link is reachable by keyboard with a
visible focus.

Screenshots of the pages go to tests/screenshots/ (ignored by git) for a person to look at.
"""

from __future__ import annotations

import errno
import datetime as dt
import json
import os
import re
import shutil
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from factory import small_tables, write_dataset, write_scenario
from scheduler.cli import main
from scheduler.compare.figures import BY_KEY
from scheduler.export import site
from scheduler.export.folders import MANIFEST
from scheduler.export.source import load_source

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).parent / "screenshots"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
# axe's best practices too: landmarks (one main, all content in a landmark), one h1, heading order.
AXE_TAGS = [*WCAG_TAGS, "best-practice"]


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def compared(tmp_path_factory):
    """Two scenarios (individual sessions; a DC block) of a small dataset, compared.

    D1 and D3 run R1 together; D4 misses the coordination-meeting rule; P2 speaks online.
    """
    root = tmp_path_factory.mktemp("site")
    tables = small_tables()
    tables["requests"][0].update(dc_ids="D1;D3", title="Data & rights <together>")
    tables["coalitions"][3].update(coordination_meetings="1")
    tables["people"][1].update(onsite="no", timezone="America/New_York")
    dataset = write_dataset(root / "data", tables)
    rules = {"min_coordination_meetings": 3}
    individual = write_scenario(root / "individual.toml", dataset, eligibility=rules,
                                description="Each eligible DC gets its own session.")
    block = write_scenario(root / "block.toml", dataset, mode="block", eligibility=rules,
                           block={"duration": 120, "overhead": 10, "min_segment": 10,
                                  "max_segment": 20})
    result = run("compare", individual, block, "--out", root / "compare", "--jobs", "1",
                 "--quiet")
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture(scope="module")
def built(compared):
    """The site of the comparison, built by the command."""
    result = run("site", compared / "compare", "--out", compared / "site")
    assert result.exit_code == 0, result.output
    return compared / "site"


def text_of(path: Path) -> str:
    """The page's text as a reader meets it: tags dropped, white space folded."""
    html = path.read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", " ", html)
    for entity, char in (("&amp;", "&"), ("&lt;", "<"), ("&gt;", ">"), ("&#34;", '"'),
                         ("&#39;", "'")):
        text = text.replace(entity, char)
    return re.sub(r"\s+", " ", text)


class Tables(HTMLParser):
    """The header cells of a page's tables: (scope, text) per <th>."""

    def __init__(self):
        super().__init__()
        self.headers: list[tuple[str | None, str]] = []
        self._scope, self._text = None, None

    def handle_starttag(self, tag, attrs):
        if tag == "th":
            self._scope, self._text = dict(attrs).get("scope"), []

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "th":
            self.headers.append((self._scope, re.sub(r"\s+", " ", "".join(self._text)).strip()))
            self._text = None


def headers(path: Path) -> list[tuple[str | None, str]]:
    parser = Tables()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.headers


# --- what the pages say --------------------------------------------------------------------

def test_the_site_has_an_index_a_comparison_and_every_page_of_each_scenario(built):
    assert (built / "index.html").is_file() and (built / "comparison.html").is_file()
    assert (built / "comparison.png").is_file()
    for scenario in ("individual", "block"):
        folder = built / scenario
        assert {p.name for p in folder.glob("*.html")} == {"index.html", "day-1.html",
                                                          "day-2.html"}
        assert {p.stem for p in (folder / "dc").glob("*.html")} == {"D1", "D2", "D3", "D4"}
        assert f'href="{scenario}/index.html"' in (built / "index.html").read_text()
    assert not list(built.parent.glob(".site.*")), "a temporary folder was left behind"


def test_a_dc_page_gives_its_slot_in_event_time_and_utc_room_co_organisers_and_speakers(
        built, compared):
    source = load_source(compared / "compare" / "individual")
    row = next(r for r in source.rows if r.item_id == "R1")
    page = text_of(built / "individual" / "dc" / "D3.html")
    start = dt.datetime.combine(source.dataset.day_by_label[row.day].date, dt.time()) \
        + dt.timedelta(minutes=row.start) - dt.timedelta(hours=9)  # Asia/Tokyo is UTC+9
    end = start + dt.timedelta(minutes=row.end - row.start)
    assert "Data & rights <together>" in page
    assert f"{row.start // 60:02d}:{row.start % 60:02d} to {row.end // 60:02d}:" \
           f"{row.end % 60:02d} Asia/Tokyo (UTC+09:00)" in page
    assert f"{start:%H:%M} to {end:%H:%M} UTC" in page
    assert f"Room {row.room} ({row.room}): seats" in page
    assert "Co-organisers Dynamic Coalition D1 (D1)" in page
    assert "Speakers Person P1, Person P2 (online from America/New_York)" in page
    html = (built / "individual" / "dc" / "D3.html").read_text()
    assert 'href="../dc/D1.html"' in html and 'href="../calendars/D3.ics"' in html


def test_the_calendar_file_holds_the_dcs_slots_in_utc(built, compared):
    from icalendar import Calendar

    source = load_source(compared / "compare" / "individual")
    rows = [r for r in source.rows if "D3" in r.dc_ids]
    calendar = Calendar.from_ical((built / "individual" / "calendars" / "D3.ics").read_bytes())
    events = calendar.walk("VEVENT")
    assert len(events) == len(rows) == 2  # its own R3 and R1 with D1
    for event, row in zip(sorted(events, key=lambda e: e.decoded("dtstart")),
                          sorted(rows, key=lambda r: (r.day, r.start))):
        local = dt.datetime.combine(source.dataset.day_by_label[row.day].date, dt.time(),
                                    tzinfo=dt.timezone(dt.timedelta(hours=9)))
        assert event.decoded("dtstart") == local + dt.timedelta(minutes=row.start)
        assert event.decoded("dtend") == local + dt.timedelta(minutes=row.end)
        assert str(event["summary"]) == row.title
    assert not (built / "individual" / "calendars" / "D4.ics").exists()


def test_a_dc_that_got_nothing_is_told_why_rule_by_rule(built):
    page = text_of(built / "individual" / "dc" / "D4.html")
    assert "not placed" in page and "Why it got nothing" in page
    assert "D4 fails 'DCCG coordination meetings': attended 1 of the required 3 meetings" in page
    assert "min_coordination_meetings" not in page  # a key of the scenario, not words
    assert "DCCG coordination meetings Failed attended 1 of the required 3 meetings" in page
    assert "Eligibility: not eligible" in page
    assert "calendar" not in page.lower()


def test_a_day_is_a_table_with_rooms_and_start_times_as_headers_and_a_list(built, compared):
    path = built / "individual" / "day-1.html"
    cells = headers(path)
    rooms = [text for scope, text in cells if scope == "col"]
    times = [text for scope, text in cells if scope == "row"]
    assert rooms[0] == "Start" and "Room A (A)" in rooms
    assert times == sorted(times) and "09:00" in times and "09:30" in times
    assert all(scope in ("col", "row") for scope, _ in cells)
    page = text_of(path)
    assert "The same sessions as a list" in page
    source = load_source(compared / "compare" / "individual")
    for row in (r for r in source.rows if r.day == "Day 1"):
        # A DC item is marked by words, in the table and in the list.
        assert page.count(f"DC session {row.title}") == 2
    assert page.count("Workshop Session WS1") == 2


def test_a_block_shows_its_segments_in_order_with_their_dcs(built, compared):
    source = load_source(compared / "compare" / "block")
    block = next(r for r in source.rows if r.kind == "block")
    page = text_of(built / "block" / f"day-{block.day[-1]}.html")
    segments = sorted((r for r in source.rows if r.kind == "segment"), key=lambda r: r.start)
    assert segments
    positions = [page.index(f"{r.start // 60:02d}:{r.start % 60:02d} to") for r in segments]
    assert positions == sorted(positions)
    dc = text_of(built / "block" / "dc" / f"{segments[0].dc_ids[0]}.html")
    assert f"segment 1 of {len(segments)} in {block.item_id}" in dc


def test_the_comparison_page_marks_the_best_value_in_words(built, compared):
    page = text_of(built / "comparison.html")
    assert "Figures of each scenario" in page
    meaning = re.escape(BY_KEY["placed_dcs"].meaning)      # each figure says what it means
    assert re.search(rf"DCs placed {meaning} higher (\d+ (best )?){{2}}", page)
    assert " best " in page
    assert 'alt="Bar charts' in (built / "comparison.html").read_text()
    assert "What each DC gets" in page and "individual/dc/D4.html" in (
        built / "comparison.html").read_text()


def test_the_site_is_the_same_byte_for_byte_when_built_again(built, compared, tmp_path):
    again = site.write_comparison_page(compared / "compare", tmp_path / "again")
    assert again
    for path in again:
        relative = path.relative_to(tmp_path / "again")
        assert path.read_bytes() == (built / relative).read_bytes(), relative


def test_write_returns_the_files_of_one_results_site(compared, tmp_path):
    source = load_source(compared / "compare" / "individual")
    written = site.write(source, tmp_path / "one")
    assert sorted(written) == sorted(p for p in (tmp_path / "one").rglob("*")
                                     if p.is_file() and p.name != MANIFEST)
    assert (tmp_path / "one" / "style.css") in written
    assert 'href="style.css"' in (tmp_path / "one" / "index.html").read_text()


def test_the_site_of_one_solve_folder_replaces_an_earlier_site_whole(compared, tmp_path):
    out = tmp_path / "one"
    assert run("site", compared / "compare" / "individual", "--out", out).exit_code == 0
    (out / "dc" / "MINE.html").write_text("a page someone added")
    refused = run("site", compared / "compare" / "block", "--out", out)
    assert refused.exit_code == 2 and "dc/MINE.html: was not written by igf-sched" in \
        refused.output
    (out / "dc" / "MINE.html").unlink()
    result = run("site", compared / "compare" / "block", "--out", out)
    assert result.exit_code == 0, result.output
    files = [p for p in out.rglob("*") if p.is_file() and p.name != MANIFEST]
    assert result.output == f"written: {len(files)} files in {out}; open {out / 'index.html'}\n"
    assert sorted(json.loads((out / MANIFEST).read_text())["files"]) == \
        sorted(p.relative_to(out).as_posix() for p in files)
    assert "All scenarios" not in (out / "index.html").read_text()
    assert "Scenario block" in text_of(out / "index.html")


# --- whole or not at all, and bad input ----------------------------------------------------

def test_a_failed_build_leaves_the_previous_site_and_no_half_site(compared, tmp_path,
                                                                  monkeypatch):
    out = tmp_path / "site"
    site.write_comparison_page(compared / "compare", out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    writes = []

    def disk_full_after_three(path, data):
        writes.append(path)
        if len(writes) > 3:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real_write(path, data)

    real_write = Path.write_bytes
    monkeypatch.setattr(Path, "write_bytes", disk_full_after_three)
    result = run("site", compared / "compare", "--out", out)
    monkeypatch.undo()
    assert result.exit_code == 2
    assert result.output.startswith(f"error: {out / writes[-1].name}: cannot write: No space")
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_folder_with_other_files_is_never_replaced(compared, tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.docx").write_text("precious")
    result = run("site", compared / "compare", "--out", out)
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "not empty" in result.output
    assert [p.name for p in out.iterdir()] == ["thesis.docx"]


def test_a_folder_that_is_not_a_comparison_is_a_one_line_error(tmp_path):
    result = run("site", tmp_path, "--out", tmp_path / "site")
    assert result.exit_code == 2
    assert result.output.startswith("error: ") and result.output.count("\n") == 1
    assert "comparison.json" in result.output
    assert not (tmp_path / "site").exists()


def test_a_schedule_naming_an_unknown_day_is_a_one_line_error(compared, tmp_path):
    folder = tmp_path / "result"
    shutil.copytree(compared / "compare" / "individual", folder)
    schedule = folder / "schedule.csv"
    lines = schedule.read_text().splitlines()
    lines[1] = lines[1].replace("Day 1", "Day 9").replace("Day 2", "Day 9")
    schedule.write_text("\n".join(lines) + "\n")
    result = run("site", folder, "--out", tmp_path / "site")
    assert result.exit_code == 2, result.output
    assert f"error: {schedule}: not as manifest.json lists it" in result.output
    (folder / MANIFEST).unlink()              # read as edited by hand: its rows are checked
    result = run("site", folder, "--out", tmp_path / "site")
    assert result.exit_code == 2, result.output
    assert "schedule.csv, row 2, column 'day': unknown day 'Day 9'" \
        in result.output
    assert not (tmp_path / "site").exists()


# --- in a real browser ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the browser test needs Playwright: pip install -e '.[test]' "
                    "(or run `make test`)", pytrace=False)
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"the browser test needs Chromium at {CHROMIUM}: run `make browser-deps` "
                    f"(Debian: apt-get install chromium), or set CHROMIUM=/path/to/chromium",
                    pytrace=False)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def axe_script() -> str:
    from importlib.resources import files

    return (files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")


def pages_of(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.html"))


def readable(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    at {' '.join(node['target'])}: "
                         f"{node['failureSummary'].replace(chr(10), ' ')}")
    return "\n".join(lines)


TAB_STEP = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const style = getComputedStyle(e);
  const box = e.getBoundingClientRect();
  return {key: e.dataset.kb || null, tag: e.tagName, text: (e.textContent || '').trim().slice(0, 60),
          outline: style.outlineStyle, width: parseFloat(style.outlineWidth),
          onScreen: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
                    && box.top < innerHeight && box.left < innerWidth};
}"""


PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1280, "height": 900}


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_every_page_passes_axe_fits_its_viewport_and_every_link_is_reachable_by_keyboard(
        built, browser, axe_script, viewport):
    """Every page of each type (comparison, scenario overview, day, DC), at a phone's width and
    a desktop's: zero axe violations, no sideways scroll of the page itself (wide tables scroll
    inside their own frame), and every link reached by Tab with a visible focus."""
    SCREENSHOTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport=viewport)
    failures = []
    pages = pages_of(built)
    assert len(pages) == 2 + 2 * (1 + 2 + 4)
    for path in pages:
        name = str(path.relative_to(built))
        page.goto(path.as_uri())
        assert page.evaluate("document.documentElement.lang") == "en"
        assert page.evaluate("document.scripts.length") == 0, f"{name} needs no JavaScript"
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > viewport["width"]:
            failures.append(f"{name}: {width} px wide in a {viewport['width']} px viewport")
        page.add_script_tag(content=axe_script)
        result = page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', "
                               "values: tags}, resultTypes: ['violations']})", AXE_TAGS)
        if result["violations"]:
            failures.append(f"{name}:\n{readable(result['violations'])}")

        # Keyboard: Tab from the top reaches every link (and scrollable table) in order, each
        # with a visible focus outline, and the first stop is the skip link.
        count = page.evaluate("""() => {
          const all = [...document.querySelectorAll('a[href], [tabindex="0"]')];
          all.forEach((e, i) => e.dataset.kb = String(i));
          return all.length; }""")
        reached = []
        for _ in range(count + 1):
            page.keyboard.press("Tab")
            step = page.evaluate(TAB_STEP)
            if step is None or step["key"] is None or step["key"] in reached:
                break
            reached.append(step["key"])
            if step["outline"] in ("none", "hidden") or step["width"] < 2 or \
                    not step["onScreen"]:
                failures.append(f"{name}: focus not visible on {step['tag']} "
                                f"'{step['text']}': {step}")
        if sorted(reached, key=int) != [str(i) for i in range(count)]:
            failures.append(f"{name}: Tab reached {len(reached)} of {count} focusable elements")
        if reached and page.evaluate(f"document.querySelector('[data-kb=\"{reached[0]}\"]')"
                                     ".className") != "skip-link":
            failures.append(f"{name}: the first Tab stop is not the skip link")
        page.evaluate("document.activeElement.blur(); window.scrollTo(0, 0); document"
                      ".querySelectorAll('.table-scroll').forEach(e => e.scrollTo(0, 0))")
        page.screenshot(path=SCREENSHOTS / f"{name.replace('/', '_')}-{viewport['width']}.png")
    page.close()
    assert not failures, "\n".join(failures)


def test_the_skip_link_moves_focus_to_the_main_content(built, browser):
    page = browser.new_page()
    page.goto((built / "individual" / "day-1.html").as_uri())
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.close()


def test_a_phone_keeps_the_times_and_rooms_of_a_scrolled_timetable_in_view(built, browser):
    page = browser.new_page(viewport={"width": 280, "height": 400})  # the sample has 3 rooms
    page.goto((built / "individual" / "day-1.html").as_uri())
    frame = page.locator(".timetable-scroll")
    assert page.evaluate("(e) => e.scrollWidth > e.clientWidth", frame.element_handle()), \
        "the test needs a timetable wider than a phone"
    frame.evaluate("(e) => { e.scrollLeft = e.scrollWidth; e.scrollTop = e.scrollHeight; }")
    box = frame.bounding_box()
    corner = page.locator(".timetable thead th").first.bounding_box()
    room = page.locator(".timetable thead th").last.bounding_box()
    time = page.locator(".timetable tbody th").last.bounding_box()
    assert abs(corner["x"] - box["x"]) <= 2 and abs(corner["y"] - box["y"]) <= 2
    assert abs(room["y"] - box["y"]) <= 2        # the room headers stay at the top
    assert abs(time["x"] - box["x"]) <= 2        # the start times stay at the left
    page.close()


def test_a_session_fills_the_timetable_rows_from_its_start_to_its_end(built, compared):
    """Rows start where anything starts or ends; an item's cell spans every row it runs through
    (rowspan), for the programme's sessions and the DC items alike."""
    source = load_source(compared / "compare" / "individual")
    html = (built / "individual" / "day-1.html").read_text()
    table = html[html.index("<table"):html.index("</table>")]
    times = re.findall(r'<th scope="row"><time>(\d\d:\d\d)</time>', table)
    minutes = [int(t[:2]) * 60 + int(t[3:]) for t in times]
    spans = []
    for start, end, title in [(r.start, r.end, r.title) for r in source.rows if r.day == "Day 1"] \
            + [(p.start, p.end, p.title) for p in source.dataset.programme if p.day == "Day 1"]:
        cell = re.search(r'<td(?: rowspan="(\d+)")?[^>]*>(?:(?!</td>).)*?'
                         + re.escape(escape(title, quote=False)), table, re.S)
        spans.append(int(cell[1] or 1))
        assert spans[-1] == sum(1 for t in minutes if start <= t < end), title


def test_the_timetable_spans_a_long_session_over_the_rows_beside_it_and_shares_overlaps():
    def item(name, room, start, end):
        return site.Item(name, name, start, end, room, "Workshop", False)

    long, short = item("L", "A", 540, 630), item("S", "B", 570, 600)
    late = item("X", "B", 600, 660)
    clash = [item("O1", "C", 540, 600), item("O2", "C", 570, 630)]  # a hand-edited overlap
    rows = site.timetable([long, short, late, *clash], ["A", "B", "C"])
    assert [t for t, _ in rows] == ["09:00", "09:30", "10:00", "10:30"]
    shape = [[([i.id for i in c.items], c.rows) for c in cells] for _, cells in rows]
    assert shape == [[(["L"], 3), ([], 1), (["O1", "O2"], 3)],
                     [(["S"], 1)],
                     [(["X"], 2)],
                     [([], 1), ([], 1)]]  # A and C free, B still in X


def test_the_overview_lets_a_dc_find_its_slot_before_the_figures(built):
    page = text_of(built / "individual" / "index.html")
    assert page.index("Find your coalition") < page.index("The schedule in figures")
    assert re.search(r"Dynamic Coalition D4 \(D4\) ?: Not placed ?: ineligible", page)
    assert "a session per DC" in page and "proven best (optimal)" in page


def test_the_comparison_page_explains_its_figures_in_words(built):
    from scheduler.compare.figures import BY_KEY

    page = text_of(built / "comparison.html")
    for key in ("gap", "individual_slots_freed", "attendance_per_presentation"):
        assert BY_KEY[key].meaning.split(";")[0] in page   # under the figure's name
    assert "soft goal: block segments grouped by theme" in page
    assert not re.search(r"\b(term|goal) [a-z]+_[a-z_]+", page)
    assert "Output-driven (thematic) DC" in page and "capacity.max_dc_sessions" not in page


def test_slugs_are_transliterated_not_dropped():
    from scheduler.export.items import acronym
    from scheduler.export.site import day_slug
    from scheduler.slugs import id_slug, slug

    assert slug("Lillestrøm") == "lillestrom" and slug("Día 2") == "dia-2"
    assert day_slug("Day 0") == "day-0" and day_slug("Día 2") == "day-dia-2"  # day-*.html
    assert id_slug("DC-Blockchain") == "DC-Blockchain" and id_slug("DC Ñandú") == "DC-Nandu"

    class Named:
        class event:
            name = "IGF 2025 Lillestrøm"
    assert acronym(Named) == "igf_2025_lillestrom"


def test_a_printed_page_has_no_navigation_and_every_table_whole(built, browser):
    page = browser.new_page(viewport={"width": 1123, "height": 794})   # A4 landscape, 96 dpi
    page.emulate_media(media="print")
    for name in ("individual/day-1.html", "comparison.html"):
        page.goto((built / name).as_uri())
        assert not page.locator(".site-header nav").is_visible(), name
        for frame in page.locator(".table-scroll").all():
            # Nothing hidden in a scroll box: the whole table is on the paper.
            assert frame.evaluate("(e) => getComputedStyle(e).overflowX") == "visible", name
            assert frame.evaluate("(e) => e.scrollWidth <= e.clientWidth + 1"), name
        assert page.evaluate("document.documentElement.scrollWidth") <= 1123, name
    page.close()
