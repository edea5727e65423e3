"""`wisdom ingest` and `wisdom index ...`: what they print, exit codes, and one-line errors.

Each test runs in its own tmp_path (tests/conftest.py changes into it), so paths on the command
line are relative and short. Rich wraps output at 80 columns when it is not a terminal; `flat()`
undoes the wrapping where a test checks content rather than layout.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner, Result

from ingest.store import read_current, versions_dir
from qa_service.cli.main import app
from tests.ingest.conftest import Built, write_pages

Versions = tuple[Path, list[str]]


def wisdom(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def flat(text: str) -> str:
    """Output with Rich's line wrapping undone (every line break becomes one space)."""
    return re.sub(r"[ \t]*\n[ \t]*", " ", text).strip()


def assert_clean_failure(result: Result) -> None:
    """Exit code 1 via typer.Exit: no traceback, nothing on stdout, an 'error:' message."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert result.stdout == ""
    assert result.stderr.startswith("error: ") or "\nerror: " in result.stderr


def table_rows(output: str) -> list[list[str]]:
    """Cells of a Rich table's rows (continuation lines of wrapped cells are left out)."""
    rows = [
        [cell.strip() for cell in line.strip("│").split("│")]
        for line in output.splitlines()
        if line.startswith("│")
    ]
    return [row for row in rows if row[1]]


# --- ingest ------------------------------------------------------------------------------------


def test_ingest_reports_counts_and_then_nothing_to_do(tmp_path: Path) -> None:
    write_pages(tmp_path / "corpus")

    first = wisdom("ingest", "corpus", "--index-dir", "index")
    assert first.exit_code == 0, first.output
    version = read_current(tmp_path / "index")
    out = flat(first.stdout)
    assert "Full rebuild: no live index version." in out
    match = re.search(
        rf"Published version {version}: 4 documents, (\d+) chunks \((\d+) embedded, 0 reused\), "
        r"(\d+) sentences\.",
        out,
    )
    assert match and match.group(1) == match.group(2)
    assert "Documents: 4 added, 0 changed, 0 removed, 0 unchanged. 0 skipped." in out
    # Progress goes to stderr, results to stdout.
    assert "Reading sources" in first.stderr and "Writing index" in first.stderr
    assert f"Embedding {match.group(1)} chunks" in first.stderr

    second = wisdom("ingest", "corpus", "--index-dir", "index")
    assert second.exit_code == 0, second.output
    assert flat(second.stdout) == (
        f"Index is up to date (version {version}, {match.group(1)} chunks): 0 documents re-embedded."
    )

    page = tmp_path / "corpus" / "delta-exercise.md"
    page.write_text(page.read_text(encoding="utf-8").replace("five", "ten"), encoding="utf-8")
    (tmp_path / "corpus" / "gamma-therapy.md").unlink()
    third = wisdom("ingest", "corpus", "--index-dir", "index", "--quiet")
    assert third.exit_code == 0, third.output
    assert third.stderr == ""  # --quiet: no progress
    assert "Documents: 0 added, 1 changed, 1 removed, 2 unchanged. 0 skipped." in flat(third.stdout)
    assert "(1 embedded," in flat(third.stdout)
    assert read_current(tmp_path / "index") != version


def test_ingest_rebuild_and_json(tiny: Built) -> None:
    result = wisdom("ingest", "corpus", "--index-dir", "index", "--rebuild", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["published"] is True and report["full_rebuild"] is True
    assert report["rebuild_reason"] == "--rebuild was given"
    assert report["chunks_embedded"] == report["chunks"] == tiny.report.chunks
    assert report["problems"] == []
    assert report["version_id"] == read_current(tiny.index_dir) != tiny.version_id


def test_ingest_lists_skipped_files(tiny: Built) -> None:
    (tiny.corpus / "broken.md").write_text("---\ntitle: [x\n---\nText.\n", encoding="utf-8")
    result = wisdom("ingest", "corpus", "--index-dir", "index", "--quiet")
    assert result.exit_code == 0, result.output
    assert flat(result.stderr).startswith("skipped corpus/broken.md: broken YAML front matter")
    # The good pages did not change, so nothing is published; the skipped file is still listed.
    assert flat(result.stdout).endswith("0 documents re-embedded.")

    (tiny.corpus / "beta-blood-test.md").unlink()
    changed = wisdom("ingest", "corpus", "--index-dir", "index", "--quiet")
    assert changed.exit_code == 0, changed.output
    assert "skipped corpus/broken.md" in flat(changed.stderr)
    assert "0 changed, 1 removed, 3 unchanged. 1 skipped." in flat(changed.stdout)


def test_strict_with_a_bad_file_fails_cleanly_and_publishes_nothing(tiny: Built) -> None:
    (tiny.corpus / "broken.md").write_text("---\ntitle: [x\n---\nText.\n", encoding="utf-8")
    (tiny.corpus / "alpha-myopathy.md").unlink()  # a change that would otherwise publish

    result = wisdom("ingest", "corpus", "--index-dir", "index", "--strict", "--quiet")

    assert_clean_failure(result)
    lines = result.stderr.splitlines()
    assert lines[0] == "error: 1 source problem(s); nothing was published:"
    assert flat("\n".join(lines[1:])).startswith("- corpus/broken.md: broken YAML front matter")
    assert read_current(tiny.index_dir) == tiny.version_id
    assert [p.name for p in versions_dir(tiny.index_dir).iterdir()] == [tiny.version_id]


def test_ingest_of_a_missing_folder_fails_cleanly(tmp_path: Path) -> None:
    result = wisdom("ingest", "no-such-folder", "--index-dir", "index", "--quiet")
    assert_clean_failure(result)
    assert flat(result.stderr).startswith("error: no usable document found in no-such-folder")
    assert read_current(tmp_path / "index") is None


def test_nothing_to_index_shows_why(tmp_path: Path) -> None:
    result = wisdom("ingest", "no-such-folder", "--index-dir", "index", "--quiet")
    assert result.exit_code == 1
    assert "no-such-folder: no such file or folder; check the path." in flat(result.stderr)


# --- index list / show / rollback / prune ------------------------------------------------------


def test_index_list_marks_the_live_version_and_broken_ones(three_versions: Versions) -> None:
    index_dir, (v1, v2, _) = three_versions
    (versions_dir(index_dir) / v2 / "chunks.sqlite").unlink()
    rollback = wisdom("index", "rollback", v1, "--index-dir", "index")
    assert rollback.exit_code == 0, rollback.output

    result = wisdom("index", "list", "--index-dir", "index")

    assert result.exit_code == 0, result.output
    rows = table_rows(result.stdout)
    assert len(rows) == 3
    assert [row[0] for row in rows] == ["*", "", ""]  # oldest first, v1 live
    assert [row[6] for row in rows][0::2] == ["ok", "ok"]
    assert rows[1][6] != "ok" and rows[1][3] == "?"  # the broken one: no counts, a problem
    assert rows[0][3] == rows[2][3] == "4"  # documents


def test_index_show_prints_the_manifest(three_versions: Versions) -> None:
    _, (v1, _, v3) = three_versions
    live = wisdom("index", "show", "--index-dir", "index")
    assert live.exit_code == 0, live.output
    manifest = json.loads(live.stdout)
    assert manifest["version_id"] == v3
    assert manifest["counts"]["documents"] == 4 and manifest["model"]["dim"] == 384

    older = wisdom("index", "show", v1, "--index-dir", "index")
    assert json.loads(older.stdout)["version_id"] == v1


def test_index_rollback_and_prune(three_versions: Versions) -> None:
    index_dir, (v1, v2, v3) = three_versions
    result = wisdom("index", "rollback", v1, "--index-dir", "index")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Version {v1} is live.\n"
    assert read_current(index_dir) == v1

    pruned = wisdom("index", "prune", "--keep", "1", "--index-dir", "index")
    assert pruned.exit_code == 0, pruned.output
    assert pruned.stdout == f"Removed 1 version(s): {v2}\n"
    assert sorted(p.name for p in versions_dir(index_dir).iterdir()) == [v1, v3]
    again = wisdom("index", "prune", "--keep", "1", "--index-dir", "index")
    assert again.stdout == "Removed 0 version(s).\n"


def test_index_prune_needs_keep_of_at_least_one(three_versions: Versions) -> None:
    result = wisdom("index", "prune", "--keep", "0", "--index-dir", "index")
    assert result.exit_code == 2  # usage error
    assert len(list(versions_dir(three_versions[0]).iterdir())) == 3


def test_index_errors_are_one_clear_message(three_versions: Versions, tmp_path: Path) -> None:
    index_dir, ids = three_versions
    (tmp_path / "empty").mkdir()
    cases = {
        ("index", "rollback", "nope", "--index-dir", "index"): (
            f"error: no index version 'nope'; known versions: {', '.join(ids)}"
        ),
        ("index", "list", "--index-dir", "empty"): ("error: no index versions in empty. Run: wisdom ingest"),
        ("index", "show", "--index-dir", "empty"): ("error: no live index in empty. Run: wisdom ingest"),
        ("index", "rollback", "nope", "--index-dir", "empty"): (
            "error: no index version 'nope'; known versions: none"
        ),
    }
    for args, expected in cases.items():
        result = wisdom(*args)
        assert_clean_failure(result)
        assert flat(result.stderr) == expected, args
    assert read_current(index_dir) == ids[-1]


def test_rollback_to_a_broken_version_fails_cleanly(three_versions: Versions) -> None:
    index_dir, (v1, _, v3) = three_versions
    (versions_dir(index_dir) / v1 / "dense.faiss").write_bytes(b"truncated")
    result = wisdom("index", "rollback", v1, "--index-dir", "index")
    assert_clean_failure(result)
    assert flat(result.stderr).startswith(f"error: index version {v1}: dense.faiss is 9 bytes")
    assert "wisdom ingest --rebuild" in flat(result.stderr)
    assert read_current(index_dir) == v3


def test_the_installed_command_fails_with_one_line_and_no_traceback(tmp_path: Path) -> None:
    """The real entry point (.venv/bin/wisdom), not the in-process runner."""
    command = Path(sys.executable).parent / "wisdom"
    env = {k: v for k, v in os.environ.items() if not k.startswith("WISDOM_")}
    done = subprocess.run(
        [str(command), "index", "show", "--index-dir", "empty"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr == "error: no live index in empty. Run: wisdom ingest\n"


# --- known bugs --------------------------------------------------------------------------------


def test_a_long_error_stays_on_one_line(three_versions: Versions) -> None:
    result = wisdom("index", "rollback", "20250101-000000-ffffff", "--index-dir", "index")
    assert result.exit_code == 1
    assert len(result.stderr.splitlines()) == 1, result.stderr


def test_file_names_with_brackets_are_printed_verbatim(tiny: Built) -> None:
    (tiny.corpus / "page[draft].md").write_text("---\ntitle: [x\n---\nText.\n", encoding="utf-8")
    skipped = wisdom("ingest", "corpus", "--index-dir", "index", "--quiet")
    assert "corpus/page[draft].md" in flat(skipped.stderr)
    strict = wisdom("ingest", "corpus", "--index-dir", "index", "--quiet", "--strict")
    assert "corpus/page[draft].md" in flat(strict.stderr)


def test_index_list_shows_whole_version_ids(three_versions: Versions) -> None:
    _, ids = three_versions
    result = wisdom("index", "list", "--index-dir", "index")
    assert result.exit_code == 0
    for version_id in ids:
        assert version_id in result.stdout


def test_index_show_of_an_unknown_version_lists_the_known_ones(three_versions: Versions) -> None:
    _, ids = three_versions
    result = wisdom("index", "show", "nope", "--index-dir", "index")
    assert_clean_failure(result)
    assert flat(result.stderr) == f"error: no index version 'nope'; known versions: {', '.join(ids)}"
