"""Every `diplobot` subcommand as an operator (or cron) runs it: a subprocess with its
default flags (progress bars on, no `--no-progress`), stdin and stdout pipes and no TTY.
Each run checks the exit status and the summary line the command promises."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SEED_FILES, SEEDS
from tests.fake_bot_api import TOKEN, FakeBotAPI

ROOT = Path(__file__).resolve().parent.parent
CONSOLE_SCRIPT = Path(sys.executable).parent / "diplobot"
DIPLOBOT = [str(CONSOLE_SCRIPT)] if CONSOLE_SCRIPT.exists() else [sys.executable, "-m", "diplobot.cli"]
SAMPLE = ROOT / "tests" / "data" / "vietnews_sample.jsonl"


def operator_env(db: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DIPLOBOT_", "TELEGRAM_", "PYTHONIOENCODING"))}
    env.update(PYTHONPATH=str(ROOT), DIPLOBOT_DB=str(db), **extra)
    return env


def diplobot(*args: str, db: Path, stdin: bytes = b"", cwd: Path = ROOT, **env: str) -> subprocess.CompletedProcess:
    """Run `diplobot ARGS` as cron would: pipes, no TTY, default flags; text output."""
    done = subprocess.run([*DIPLOBOT, *args], input=stdin, capture_output=True, cwd=cwd,
                          env=operator_env(db, **env), timeout=120)
    done.out, done.err = done.stdout.decode(errors="replace"), done.stderr.decode(errors="replace")
    assert "Traceback" not in done.err, done.err[-3000:]
    return done


def last_line(text: str) -> str:
    """The last line a terminal would show (progress bars redraw with carriage returns)."""
    return text.strip().splitlines()[-1].split("\r")[-1].strip()


@pytest.fixture
def db(seeded_db_path, tmp_path) -> Path:
    """A private copy of the seeded database."""
    target = tmp_path / "op.db"
    src, dst = sqlite3.connect(seeded_db_path), sqlite3.connect(target)
    src.backup(dst)
    src.close()
    dst.close()
    return target


def test_help_lists_and_explains_every_command(tmp_path, monkeypatch):
    """`diplobot --help` as a process; each subcommand's help through click in-process (the
    same code, without twenty interpreter starts); neither opens a database."""
    from click.testing import CliRunner

    from diplobot.cli import cli

    done = diplobot("--help", db=tmp_path / "none.db")
    assert done.returncode == 0
    commands = re.findall(r"^  ([a-z][a-z-]+)\s", done.out.split("Commands:")[1], re.MULTILINE)
    assert {"ingest", "chat", "run", "summarize", "eval", "tags", "digest", "retag", "resummarize"} <= set(commands)
    assert diplobot("digest", "--help", db=tmp_path / "none.db").returncode == 0
    monkeypatch.setenv("DIPLOBOT_DB", str(tmp_path / "none.db"))
    runner = CliRunner()
    for name in commands:
        sub = runner.invoke(cli, [name, "--help"], prog_name="diplobot")
        assert sub.exit_code == 0 and f"Usage: diplobot {name}" in sub.output, (name, sub.output)
        assert len(sub.output.splitlines()) >= 3, name  # a usage line and an explanation
    assert not (tmp_path / "none.db").exists()  # --help opens no database


def test_ingest_prints_the_run_summary(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    done = diplobot("ingest", str(seeds), db=tmp_path / "new.db")
    assert done.returncode == 0, done.err[-2000:]
    assert re.fullmatch(r"5 items in [\d.]+s: 5 new, 0 updated, 0 duplicate, 0 merged, 0 rejected; "
                        r"sources: 1 ok, 0 failed", done.out.strip())
    again = diplobot("ingest", str(seeds), str(tmp_path / "missing"), db=tmp_path / "new.db")
    assert again.returncode == 0  # one source worked
    assert "5 duplicate" in again.out and "rejected" in again.err


def test_chat_answers_each_line_and_exits_at_end_of_input(db, seed_titles):
    done = diplobot("chat", db=db, stdin="/latest\n/province Bình Dương\n".encode())
    assert done.returncode == 0, done.err
    assert "Tin mới nhất" in done.out and seed_titles["001"] in done.out


def test_chat_survives_invalid_bytes_with_pythonioencoding_utf8(db):
    stdin = b"/help\n\xff\xfe/latest 1\n/province B\xc3\xacnh D\xc6\xb0\xc6\xa1ng \xe2\x28\xa1\n/latest 1\n"
    done = diplobot("chat", db=db, stdin=stdin, PYTHONIOENCODING="utf-8")
    assert done.returncode == 0, done.err
    assert "Tin mới nhất" in done.out and "Bình Dương" in done.out
    # Every line answered, in order: the line after the bad bytes too; `\xff\xfe/latest 1` is no command.
    assert done.out.count("Tin mới nhất") == 1 and done.out.index("Bình Dương") < done.out.index("Tin mới nhất")


def test_chat_caps_a_giant_line_in_bounded_memory(db, tmp_path):
    """A 1.6 MB line is cut at 4,096 characters, read in bounded pieces, and answered."""
    giant = "/search " + "đại sứ " * 200_000  # 1.6 MB of UTF-8
    stdin = (giant + "\n/latest 1\n").encode()
    probe = ("import resource, subprocess, sys\n"
             "done = subprocess.run(sys.argv[1:])\n"
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
             "sys.exit(done.returncode)\n")
    done = subprocess.run([sys.executable, "-c", probe, *DIPLOBOT, "chat"], input=stdin, capture_output=True,
                          env=operator_env(db), timeout=120)
    out, err = done.stdout.decode(), done.stderr.decode()
    assert done.returncode == 0, err[-2000:]
    peak_kb = int(err.strip().splitlines()[-1])
    assert peak_kb < 400_000, f"peak RSS {peak_kb} kB"
    assert out.count("Tin mới nhất") == 1 and out.index("đại sứ") < out.index("Tin mới nhất")


def test_read_lines_bounds_decodes_and_caps():
    import io

    from bot.terminal import MAX_LINE, read_lines

    data = b"\xef\xbb\xbf/latest\r\n" + b"x" * (3 * MAX_LINE * 4) + b"\n\xff/help\nlast"
    lines = list(read_lines(io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", errors="strict")))
    assert lines == ["/latest", "x" * MAX_LINE, "\ufffd/help", "last"]
    assert list(read_lines(io.StringIO("a\n" + "é" * 5000 + "\nb"))) == ["a", "é" * MAX_LINE, "b"]


def test_run_without_a_token_is_the_terminal_chat(db):
    done = diplobot("run", db=db, stdin=b"/help\n")
    assert done.returncode == 0
    assert "TELEGRAM_BOT_TOKEN is not set: starting the terminal chat." in done.err
    assert "/province" in done.out


def test_summarize_a_file_and_jsonl(tmp_path):
    done = diplobot("summarize", str(SEED_FILES[1]), db=tmp_path / "d.db")
    assert done.returncode == 0 and len(done.out.strip()) > 40
    records = tmp_path / "records.jsonl"
    records.write_text("\n".join(json.dumps({"id": f"r{i}", "title": "", "body": json.loads(line)["body"]},
                                            ensure_ascii=False)
                                 for i, line in enumerate(SAMPLE.read_text(encoding="utf-8").splitlines()[:2])),
                       encoding="utf-8")
    batch = diplobot("summarize", "--jsonl", str(records), db=tmp_path / "d.db")
    assert batch.returncode == 0, batch.err[-2000:]
    assert [json.loads(line)["id"] for line in batch.out.splitlines()] == ["r0", "r1"]
    assert last_line(batch.err) == "2 summaries written (0 failed) by extractive"


def test_eval_a_small_file(tmp_path):
    done = diplobot("eval", str(SAMPLE), db=tmp_path / "d.db")
    assert done.returncode == 0, done.err[-2000:]
    assert re.search(r"^\d+ articles, F1 ×100, syllable-level ROUGE .*best R1: ", done.out, re.MULTILINE)
    assert "Lead-3" in done.out and "extractive" in done.out


def test_tags_of_stdin_as_json(tmp_path):
    done = diplobot("tags", "-", db=tmp_path / "d.db", stdin=SEED_FILES[3].read_bytes())
    assert done.returncode == 0
    tags = json.loads(done.out)
    assert tags["provinces"] or tags["countries"]


def test_retag_and_resummarize_print_their_summary(db):
    retag = diplobot("retag", db=db)
    assert retag.returncode == 0
    assert re.fullmatch(r"5 articles retagged in [\d.]+s: \d+ with changed tags", last_line(retag.out))
    redo = diplobot("resummarize", db=db)
    assert redo.returncode == 0
    assert re.fullmatch(r"0 summaries redone in [\d.]+s: 0 by extractive, 0 fell back", last_line(redo.out))


def test_poll_reads_the_configured_feed(db, local_site):
    feed = local_site.add_file("/rss.xml", "rss_doi_ngoai.xml", "application/rss+xml")
    done = diplobot("poll", db=db, DIPLOBOT_FEEDS=feed, DIPLOBOT_ALLOW_PRIVATE_URLS="1")
    assert done.returncode == 0, done.err[-2000:]
    assert re.fullmatch(r"\d+ items in [\d.]+s: .*; sources: 1 ok, 0 failed", last_line(done.out))


def test_sources_lists_the_catalogue_if_present(db):
    help_text = diplobot("--help", db=db).out
    if not re.search(r"^  sources\s", help_text, re.MULTILINE):
        pytest.skip("no `diplobot sources` in this version")
    done = diplobot("sources", db=db)
    assert done.returncode == 0, done.err[-2000:]


def test_convert_model_without_a_model_is_one_line(tmp_path):
    done = diplobot("convert-model", str(tmp_path / "no-model"), str(tmp_path / "out"), db=tmp_path / "d.db")
    assert done.returncode == 2
    (line,) = done.err.strip().splitlines()
    assert line.startswith("diplobot: ") and "no-model" in line


def subscribe_chat(db: Path, chat_id: int) -> None:
    from storage import open_db
    from storage.subscriptions import ALL, ALL_CODE, ensure_chat, subscribe

    conn = open_db(db)
    ensure_chat(conn, chat_id, "private")
    subscribe(conn, chat_id, ALL, ALL_CODE, "")
    conn.close()


def test_digest_dry_run_then_sent_once_against_the_bot_api(db):
    """The cron path: `--dry-run --now` shows it, `--now` sends it (progress bar on, the
    default), a second run and the plain cron run send nothing new."""
    subscribe_chat(db, 4242)
    dry = diplobot("digest", "--dry-run", "--now", db=db)
    assert dry.returncode == 0, dry.err[-2000:]
    assert re.match(r"dry run, nothing sent: 1 chats due: 1 digests \(\d+ messages\)", last_line(dry.out))
    with FakeBotAPI() as api:
        env = {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": api.base_url}
        sent = diplobot("digest", "--now", db=db, **env)
        assert sent.returncode == 0, sent.err[-3000:]
        assert re.match(r"1 chats due: 1 digests \((\d+) messages\), 0 without news; sent \1, failed 0",
                        last_line(sent.out)), sent.out
        messages = api.sent(4242)
        assert messages and all(c.params.get("parse_mode") == "HTML" for c in messages)
        for args in (("digest", "--now"), ("digest",), ("digest", "--retry-uncertain")):
            again = diplobot(*args, db=db, **env)
            assert again.returncode == 0, again.err[-2000:]
            assert re.match(r"0 chats due: .*; sent 0, failed 0", last_line(again.out)), args
        assert len(api.sent(4242)) == len(messages)


def test_digest_without_a_token_says_so(db):
    done = diplobot("digest", db=db)
    assert done.returncode == 2
    assert done.err.strip() == "diplobot: TELEGRAM_BOT_TOKEN: required to send digests (or use --dry-run)"
