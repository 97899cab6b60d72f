"""Publishing: numbered versions kept in the site folder, and every export change-aware across
them. A draft is published, a late change (room A lost, one session fewer) is re-solved against
it and published again; then the draft again, bringing back what the change cancelled.

The tiny dataset of tests/factory.py is solved once per module (about a second)."""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from icalendar import Calendar
from lxml import etree

from factory import small_tables, write_dataset, write_scenario
from scheduler.cli import main
from scheduler.export.releases import describe, next_release, utc_moment
from scheduler.schedule import ScheduleRow
from test_site import AXE_TAGS, axe_script, browser, readable  # noqa: F401 (fixtures)

FIRST, SECOND, THIRD = "2024-04-02T10:00:00Z", "2024-04-05T09:00:00Z", "2024-04-06T08:30:00Z"
BASE = "https://example.org/igf-dc/"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def rows_of(path: Path) -> dict[str, dict]:
    with open(path, newline="", encoding="utf-8") as handle:
        return {row["item_id"]: row for row in csv.DictReader(handle)}


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def frab_ids(site: Path) -> dict[str, tuple[str, str]]:
    """Item id (from the slug) -> (frab id, guid)."""
    document = etree.parse(str(site / "schedule.xml"))
    return {e.findtext("slug").split("-dc-", 1)[1].upper(): (e.get("id"), e.get("guid"))
            for e in document.findall("day/room/event")}


def json_ids(site: Path) -> dict[str, tuple[str, str]]:
    data = json.loads((site / "schedule.json").read_text(encoding="utf-8"))
    return {e["slug"].split("-dc-", 1)[1].upper(): (str(e["id"]), e["guid"])
            for day in data["schedule"]["conference"]["days"]
            for events in day["rooms"].values() for e in events}


def vevents(path: Path) -> dict[str, object]:
    calendar = Calendar.from_ical(path.read_bytes())
    return {str(e["uid"]).split("@")[0]: e for e in calendar.walk("VEVENT")}


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> dict:
    """The draft published (version 1), the late change re-solved against it and published
    (version 2); each version's site copied aside as it was."""
    base = tmp_path_factory.mktemp("publish")
    data = write_dataset(base / "data", small_tables())
    scenario = write_scenario(base / "individual.toml", data)
    draft, revised, site = base / "draft", base / "revised", base / "site"
    assert run("solve", scenario, "--out", draft, "--quiet").exit_code == 0
    late = run("solve", scenario, "--baseline", draft, "--out", revised, "--quiet",
               "--set", 'capacity.days=["Day 2"]', "--set", "capacity.max_dc_sessions=3")
    assert late.exit_code == 0, late.output
    versions = {}
    for number, (result, moment) in enumerate(((draft, FIRST), (revised, SECOND)), 1):
        outcome = run("publish", result, "--out", site, "--at", moment, "--base-url", BASE)
        assert outcome.exit_code == 0, outcome.output
        versions[number] = shutil.copytree(site, base / f"v{number}")
    with open(revised / "changes.csv", newline="", encoding="utf-8") as handle:
        changes = {row["request_id"]: row["change"] for row in csv.DictReader(handle)}
    assert {"kept", "moved", "dropped"} <= set(changes.values()), changes  # the case tested
    return {"site": site, "draft": draft, "revised": revised, "versions": versions,
            "changes": changes, "output": outcome.output}


def items(published, change: str) -> list[str]:
    return sorted(r for r, c in published["changes"].items() if c == change)


def test_each_version_is_numbered_and_kept_with_what_it_published(published):
    site, versions = published["site"], published["versions"]
    assert published["output"].startswith(
        "published version 2 (2024-04-05 09:00 UTC); since version 1: 1 moved, 1 cancelled")
    for number, result in ((1, published["draft"]), (2, published["revised"])):
        kept = site / "releases" / str(number)
        assert (kept / "schedule.csv").read_bytes() == (result / "schedule.csv").read_bytes()
        manifest = json.loads((kept / "release.json").read_text(encoding="utf-8"))
        assert manifest["release"] == number
    assert snapshot(versions[1] / "releases") == {
        path: digest for path, digest in snapshot(site / "releases").items()
        if path.startswith("1/")}
    dropped = items(published, "dropped")
    assert set(rows_of(site / "releases" / "2" / "cancelled.csv")) == set(dropped)
    version = etree.parse(str(site / "schedule.xml")).findtext("version")
    assert version == "2 (2024-04-05 09:00 UTC)"


def test_unchanged_items_keep_their_ids_in_frab_and_json(published):
    first, second = published["versions"][1], published["versions"][2]
    kept, moved = items(published, "kept"), items(published, "moved")
    for ids in (frab_ids, json_ids):
        before, after = ids(first), ids(second)
        assert {r: after[r] for r in kept + moved} == {r: before[r] for r in kept + moved}
        assert set(after) == set(before) - set(items(published, "dropped"))
    assert frab_ids(second) == json_ids(second)


def test_a_moved_item_raises_its_sequence_and_an_unchanged_one_keeps_its_bytes(published):
    first = vevents(published["versions"][1] / "calendars" / "all.ics")
    second = vevents(published["versions"][2] / "calendars" / "all.ics")
    for request_id in items(published, "moved"):
        assert (first[request_id]["sequence"], second[request_id]["sequence"]) == (0, 1)
        assert second[request_id]["dtstamp"].dt.isoformat() == "2024-04-05T09:00:00+00:00"
        assert second[request_id]["dtstart"].dt != first[request_id]["dtstart"].dt
    for request_id in items(published, "kept"):
        assert second[request_id].to_ical() == first[request_id].to_ical()
        assert second[request_id]["dtstamp"].dt.isoformat() == "2024-04-02T10:00:00+00:00"


def test_a_dropped_item_is_cancelled_in_every_calendar_it_was_in(published):
    site, draft = published["site"], rows_of(published["draft"] / "schedule.csv")
    for request_id in items(published, "dropped"):
        dc = draft[request_id]["dc_ids"].split(";")[0]
        for calendar in ("all.ics", f"{dc}.ics"):
            event = vevents(site / "calendars" / calendar)[request_id]
            assert (event["status"], event["sequence"]) == ("CANCELLED", 1)
            assert event["dtstart"].dt == vevents(
                published["versions"][1] / "calendars" / "all.ics")[request_id]["dtstart"].dt


def test_the_dc_page_and_the_changes_page_say_what_moved(published):
    site = published["site"]
    draft, revised = (rows_of(published[k] / "schedule.csv") for k in ("draft", "revised"))
    changes = (site / "changes.html").read_text(encoding="utf-8")
    assert "Changes since version 1" in changes
    for request_id in items(published, "moved"):
        before, after = draft[request_id], revised[request_id]
        said = (f"moved from {before['day']}, {before['start']} to {before['end']}, "
                f"Room {before['room']} ({before['room']}) to {after['day']}, {after['start']} "
                f"to {after['end']}, Room {after['room']} ({after['room']})")
        page = (site / "dc" / f"{after['dc_ids'].split(';')[0]}.html").read_text("utf-8")
        assert said in page and "Changed in version 2" in page
        assert said in changes
    for request_id in items(published, "dropped"):
        before = draft[request_id]
        assert (f"cancelled (was {before['day']}, {before['start']} to {before['end']}, "
                f"Room {before['room']} ({before['room']}))") in changes
    for request_id in items(published, "kept"):
        page = site / "dc" / f"{draft[request_id]['dc_ids'].split(';')[0]}.html"
        assert "Changed in version" not in page.read_text(encoding="utf-8")


def test_publishing_the_last_version_again_writes_the_same_bytes(published, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(published["versions"][2], site)
    before = snapshot(site)
    result = run("publish", published["revised"], "--out", site, "--base-url", BASE)
    assert result.exit_code == 0, result.output
    assert "unchanged since version 2" in result.output
    assert snapshot(site) == before


def test_an_item_back_after_its_cancellation_gets_its_old_id(published, tmp_path):
    """Version 3 publishes the draft again: the cancelled item comes back with the id it had
    and a sequence raised once more; no id is ever given twice."""
    site = tmp_path / "site"
    for number, (result, moment) in enumerate(
            ((published["draft"], FIRST), (published["revised"], SECOND),
             (published["draft"], THIRD)), 1):
        assert run("publish", result, "--out", site, "--at", moment).exit_code == 0
    first = frab_ids(published["versions"][1])
    assert frab_ids(site) == first
    events = vevents(site / "calendars" / "all.ics")
    for request_id in items(published, "dropped") + items(published, "moved"):
        assert events[request_id]["sequence"] == 2 and "status" not in events[request_id]
    assert "new: " in (site / "changes.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("prepare, message", [
    (lambda out: (out / "notes.txt").write_text("mine"), "was not written by igf-sched"),
    (lambda out: run("site", out.parent / "draft", "--out", out),
     "holds a site written by `site`, not a published site written by `publish`"),
])
def test_a_site_folder_not_written_by_publish_exits_2_untouched(published, tmp_path,
                                                                prepare, message):
    out = tmp_path / "out"
    out.mkdir()
    (tmp_path / "draft").symlink_to(published["draft"])
    prepare(out)
    before = snapshot(out)
    result = run("publish", published["draft"], "--out", out)
    assert result.exit_code == 2 and message in result.output, result.output
    assert snapshot(out) == before


def test_bad_input_exits_2_and_leaves_the_site_as_it_was(published, tmp_path):
    site = tmp_path / "site"
    assert run("publish", published["draft"], "--out", site, "--at", SECOND).exit_code == 0
    before = snapshot(site)
    for args, message in (
            ([tmp_path / "nothing"], "result folder not found"),
            ([published["site"] / "releases"], "file not found"),
            ([published["revised"], "--at", FIRST], "is not after version 1"),
            ([published["revised"], "--at", "yesterday"], "is not a moment"),
            ([published["revised"], "--base-url", "example.org"], "--base-url")):
        result = run("publish", *args, "--out", site)
        assert result.exit_code == 2 and message in result.output, (args, result.output)
        assert len(result.output.strip().splitlines()) == 1
        assert snapshot(site) == before


def test_the_site_command_never_replaces_a_published_site(published):
    site = published["site"]
    before = snapshot(site)
    result = run("site", published["revised"], "--out", site)
    assert result.exit_code == 2 and "igf-sched publish" in result.output
    assert snapshot(site) == before


def test_every_event_links_to_its_page_on_the_published_site(published):
    site = published["site"]
    document = etree.parse(str(site / "schedule.xml"))
    schema = etree.XMLSchema(etree.parse(str(Path(__file__).parent / "schemas" /
                                             "schedule.xml.xsd")))
    assert schema.validate(document), schema.error_log
    for event in document.findall("day/room/event"):
        dc = event.findtext("abstract").split(" ")[0]
        assert event.findtext("url") == f"{BASE}dc/{dc}.html"
        assert (site / "dc" / f"{dc}.html").is_file()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_changes_page_and_a_changed_dc_page_pass_axe(published, browser, axe_script, width):
    """The pages that only a published site has, in a real browser (test_site's fixtures)."""
    site = published["site"]
    revised = rows_of(published["revised"] / "schedule.csv")
    moved = items(published, "moved")[0]
    page = browser.new_page(viewport={"width": width, "height": 900})
    failures = []
    for path in (site / "changes.html",
                 site / "dc" / f"{revised[moved]['dc_ids'].split(';')[0]}.html"):
        page.goto(path.as_uri())
        page.add_script_tag(content=axe_script)
        result = page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', "
                               "values: tags}, resultTypes: ['violations']})", AXE_TAGS)
        if result["violations"]:
            failures.append(f"{path.name}:\n{readable(result['violations'])}")
        if page.evaluate("document.documentElement.scrollWidth") > width:
            failures.append(f"{path.name} is wider than {width} px")
    page.close()
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("damage, message", [
    (lambda site: (site / "releases" / "2" / "release.json").write_text("{"),
     "release.json: changed since igf-sched wrote it"),
    (lambda site: shutil.rmtree(site / "releases" / "1"), "version 1 is missing"),
    (lambda site: (site / "releases" / "2" / "cancelled.csv").unlink(), "cancelled.csv"),
])
def test_a_damaged_release_folder_exits_2_untouched(published, tmp_path, damage, message):
    site = shutil.copytree(published["site"], tmp_path / "site")
    damage(site)
    before = snapshot(site)
    result = run("publish", published["draft"], "--out", site, "--at", THIRD)
    assert result.exit_code == 2 and message in result.output, result.output
    assert snapshot(site) == before


def test_a_change_in_place_raises_the_sequence_and_says_what_changed():
    """The rules of next_release on rows made by hand: unchanged keeps everything, a new
    speaker is a change in place, a new id goes to a new item only."""
    def row(item_id, start, **cells):
        return ScheduleRow(**{"item_id": item_id, "kind": "session", "dc_ids": ("D1",),
                              "title": item_id, "day": "Day 1", "date": "2024-12-16",
                              "start": start, "end": "23:00", "room": "A",
                              "speakers": ("P1",), **cells})
    first = next_release(None, [row("R1", "09:00"), row("R2", "10:00")],
                         utc_moment(FIRST, "test"))
    later = utc_moment(SECOND, "test")
    second = next_release(first, [row("R1", "09:00"), row("R2", "10:00", speakers=("P1", "P2")),
                                  row("R3", "11:00")], later)
    assert [(c.item_id, c.change) for c in second.changes] == [("R2", "changed"),
                                                               ("R3", "added")]
    assert describe(second.changes[0]) == "changed (speakers), still Day 1, 10:00 to 23:00, room A"
    assert second.revisions["R1"] == first.revisions["R1"]
    assert (second.revisions["R2"].id, second.revisions["R2"].sequence,
            second.revisions["R2"].revised) == (2, 1, later)
    assert (second.revisions["R3"].id, second.revisions["R3"].sequence) == (3, 0)
