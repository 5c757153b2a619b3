"""`manage.py suggest SLUG [--json]`: the suggestions of one source, for scripts and people."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command, execute_from_command_line

from cpec_tracker.records.models import Source

SEED_SLUG = "dawn-2025-01-12-cpec-jwg-icc"


def run(*args):
    out = StringIO()
    call_command("suggest", *args, stdout=out)
    return out.getvalue()


def test_json_lists_mentions_dates_figures_and_candidates_with_offsets(seeded):
    data = json.loads(run(SEED_SLUG, "--json"))
    text = Source.objects.get(slug=SEED_SLUG).text
    assert set(data) == {"sentences", "mentions", "dates", "figures", "candidates", "financing"}
    baloch = next(m for m in data["mentions"] if m["text"] == "Amna Baloch")
    assert baloch["model"] == "meetings.official" and baloch["slug"] == "amna-baloch"
    assert text[baloch["start"] : baloch["end"]] == "Amna Baloch"
    sentence = data["sentences"][baloch["sentence"]]
    assert "co-chaired by Foreign Secretary Amna Baloch" in sentence["text"]
    assert {"text": "on Saturday", "value": "2025-01-11", "precision": "day"}.items() <= next(
        d for d in data["dates"] if d["text"] == "on Saturday"
    ).items()
    jobs = next(f for f in data["figures"] if f["unit"] == "jobs")
    assert jobs["value"] == "40000"
    assert {"kind": "organization", "name": "United Nations Security Council"}.items() <= (
        data["candidates"][0].items()
    )


def test_the_readable_listing_groups_findings_by_sentence(seeded):
    output = run(SEED_SLUG)
    assert "[2] The meeting was co-chaired by Foreign Secretary Amna Baloch" in output
    assert "mention    meetings.official amna-baloch: “Amna Baloch”" in output
    assert "date       2025-01-11 (day): “on Saturday”" in output
    assert "figure     40000 jobs: “40,000 direct and indirect jobs”" in output
    assert output.rstrip().splitlines()[-1].startswith("suggest: 28 sentences, ")


@pytest.mark.django_db
def test_an_unknown_slug_is_a_clear_error():
    with pytest.raises(CommandError, match="No source has the slug “no-such-source”"):
        run("no-such-source")


def test_an_unknown_slug_exits_non_zero(seeded, capsys):
    with pytest.raises(SystemExit) as exit_info:
        execute_from_command_line(["manage.py", "suggest", "no-such-source", "--json"])
    assert exit_info.value.code != 0
    assert "No source has the slug" in capsys.readouterr().err
