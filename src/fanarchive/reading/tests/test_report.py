"""The plain-text report and the ``fanarchive read`` command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from fanarchive.reading import read
from fanarchive.reading.model import Character, Episode, Narration, Placement, Quote, Suggestion
from fanarchive.reading.report import format_report, main

FIXTURES = Path(__file__).parent / "fixtures"


def analysed_reading():
    """A structured reading with hand-made analysis results (independent of the analysers)."""
    reading = read((FIXTURES / "ffnet_multichapter.txt").read_bytes(), filename="w.txt", depth="structure")
    reading.characters = [
        Character(name="Willow Rosenberg", fandom="Buffy", aliases={"Willow": 3}, mentions=3, quotes=2,
                  words_spoken=12, role="main"),
        Character(name="Rupert Giles", aliases={"Giles": 2}, mentions=2, role="mentioned"),
    ]
    reading.narration = Narration(pov_character="Willow Rosenberg", person="third", tense="past")
    reading.quotes = [Quote(chapter=0, paragraph=1, start=0, end=10, text="It's signed in a hand",
                            speaker="Willow Rosenberg", addressee="Rupert Giles", method="explicit",
                            confidence=0.9)]
    reading.suggestions = [Suggestion(type="relationship", name="Willow Rosenberg/Tara Maclay",
                                      confidence=0.8, evidence=["Pairing(s): Willow/Tara"], declared=True)]
    reading.placement = Placement(fandom="Buffy the Vampire Slayer", after=Episode(55, "4x10", "Hush", 4),
                                  before=None, season=4, confidence=0.7, evidence=['after "Hush"'])
    return reading


def test_report_shows_every_part_of_the_reading():
    report = format_report(analysed_reading())
    for expected in [
        "Title: Library Hours", "Relationships: Willow/Tara, Giles & Xander", "Rating: T",
        "Chapter 1: Overdue — 56 words, 4 paragraphs, 1 scene break", "Chapter 2: Renewal",
        "Thanks to my beta", "Main:", "Willow Rosenberg (Buffy)", "Willow ×3", "Mentioned:",
        "third person, past tense, point of view: Willow Rosenberg",
        "Willow Rosenberg → Rupert Giles (explicit, 0.90): It's signed in a hand",
        "Willow Rosenberg/Tara Maclay (0.80, declared)", "because: Pairing(s): Willow/Tara",
        'after 4x10 "Hush", before the end (season 4)', "Setting statements:",
    ]:
        assert expected in report, expected


def test_report_omits_analysis_sections_for_structure_only_readings():
    reading = read("Just a line of story.\n", depth="structure")
    report = format_report(reading)
    assert "Words (story only): 5" in report
    assert "Dialogue" not in report and "Placement" not in report and "Suggested tags" not in report


def test_command_prints_report(capsys):
    assert main([str(FIXTURES / "oneshot_notes.txt"), "--structure"]) == 0
    out = capsys.readouterr().out
    assert "Disclaimer: I own nothing but the plot." in out
    assert "The motel sign buzzed" in out


def test_command_prints_json(capsys):
    assert main([str(FIXTURES / "ao3_download.html"), "--json", "--structure"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["front"]["title"] == "Second Watch"
    assert len(data["chapters"]) == 2


def test_command_reports_unreadable_files_with_exit_code_2(tmp_path, capsys):
    pdf = tmp_path / "story.pdf"
    pdf.write_bytes(b"%PDF-1.4\n\x00\x01binary")
    assert main([str(pdf)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "file looks binary (PDF?)" in err
    assert main([str(tmp_path / "missing.txt")]) == 2
    assert "cannot open" in capsys.readouterr().err


def test_python_dash_m_runs_the_command():
    done = subprocess.run([sys.executable, "-m", "fanarchive", "read", str(FIXTURES / "oneshot_notes.txt"),
                           "--structure"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Disclaimer: I own nothing but the plot." in done.stdout
