"""The command lines README.md and the docs/ pages it links document in their ```sh blocks run as written.

Every line that invokes `diplobot` (directly, after `VAR=value` assignments, at the end of
a pipe, or in a crontab entry) is executed with bash in a scratch checkout: `seeds/`
copied, `../shared/data/…` holding a slice of the real file, placeholder inputs for the
documented file names, a temporary DIPLOBOT_DB, and `diplobot` / `.venv/bin/diplobot`
meaning this virtual environment's. A documented command that fails fails the suite.
Lines that cannot run here are listed in SKIPS with the reason; `make run` and
`make test` are never executed (they install and run the whole suite). docs/operating.md is
not read here: tests/test_operating_doc.py runs its lines.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fake_bot_api import TOKEN, FakeBotAPI

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
# README and the pages that moved out of it; their command lines are held to the same test.
DOCS = [README] + [ROOT / "docs" / f"{name}.md" for name in ("sources", "summaries", "tags", "telegram", "digests",
                                                             "install", "follow")]
SHARED_DATA = ROOT.parent / "shared" / "data"
VENV_DIPLOBOT = Path(sys.executable).parent / "diplobot"
EVAL_SLICE = 10  # records of vietnews_val_2000.jsonl the eval line gets (the whole file takes ~10 s)

# Documented diplobot lines that cannot run here, and why (matched on the command without its comment).
SKIPS = {
    "diplobot ingest https://baoquocte.vn/rss/thoi-su.rss https://vietnamplus.vn/a/123.vnp":
        "fetches outside hosts; tests never leave 127.0.0.1 (test_live_ingest covers feeds and pages locally)",
    "diplobot convert-model ~/models/vit5-base-vietnews-summarization ~/models/vit5-ct2":
        "needs the ViT5 weights (test_vit5 converts a tiny T5)",
    "DIPLOBOT_SUMMARIZER=vit5 DIPLOBOT_VIT5_MODEL=~/models/vit5-ct2 diplobot resummarize":
        "needs the converted ViT5 model",
    "diplobot convert-model models/vit5 models/vit5-ct2":
        "needs the ViT5 weights (test_vit5 converts a tiny T5)",
    "diplobot resummarize --backend vit5":
        "needs the ViT5 weights or a cached Hub model",
    "TELEGRAM_API_BASE_URL=http://127.0.0.1:8081/bot .venv/bin/diplobot run":
        "the long-running bot against a self-hosted server (test_telegram_e2e runs it against the fake Bot API)",
    "DIPLOBOT_WEBHOOK_URL=https://bot.example.vn/diplobot DIPLOBOT_WEBHOOK_SECRET=$(openssl rand -hex 32) "
    "DIPLOBOT_WEBHOOK_PORT=8443 .venv/bin/diplobot run":
        "webhook mode needs a public HTTPS address (test_telegram checks the webhook locally)",
}


def sh_lines(markdown: str) -> list[str]:
    """The command lines of the ```sh blocks: continuation lines joined, comments dropped."""
    lines: list[str] = []
    for block in re.findall(r"^```sh\n(.*?)^```", markdown, re.DOTALL | re.MULTILINE):
        pending = ""
        for raw in block.splitlines():
            if raw.rstrip().endswith("\\"):
                pending += raw.rstrip()[:-1].strip() + " "
                continue
            line = strip_comment(pending + raw.strip()).strip()
            pending = ""
            if line:
                lines.append(line)
    return lines


def strip_comment(line: str) -> str:
    """The line without a trailing `# comment` (a `#` inside quotes stays)."""
    quote = None
    for i, ch in enumerate(line):
        if ch in "'\"" and quote in (None, ch):
            quote = None if quote else ch
        elif ch == "#" and quote is None and (i == 0 or line[i - 1].isspace()):
            return line[:i]
    return line


CRON_RE = re.compile(r"^(\S+\s+){5}cd \S+ && ")


def invokes_diplobot(line: str) -> bool:
    """Whether a command of the line (after VAR=value words, in a pipe or `&&` chain) is diplobot."""
    line = re.sub(r"\$\([^)]*\)", "X", CRON_RE.sub("", line))  # `$(openssl rand -hex 32)` is one word
    for segment in re.split(r"\|\||&&|\||;", line):
        words = [w for w in segment.split() if not re.match(r"^[A-Z_][A-Z0-9_]*=", w)]
        if words and words[0] in ("diplobot", ".venv/bin/diplobot"):
            return True
    return False


# Each distinct line once (`diplobot eval …` is shown in two places).
DOCUMENTED = list(dict.fromkeys(line for doc in DOCS for line in sh_lines(doc.read_text(encoding="utf-8"))
                                if invokes_diplobot(line)))


def test_readme_documents_diplobot_commands_and_every_skip_is_still_there():
    assert len(DOCUMENTED) >= 10, DOCUMENTED
    assert any(line.startswith("printf ") and line.endswith("diplobot chat") for line in DOCUMENTED)
    stale = [line for line in SKIPS if line not in DOCUMENTED]
    assert stale == [], "SKIPS names lines README no longer has"


@pytest.fixture(scope="module")
def checkout(tmp_path_factory, seeded_db_path):
    """A scratch checkout: seeds, ../shared data, documented input files, a bin/ with diplobot."""
    base = tmp_path_factory.mktemp("readme")
    work = base / "diplobot"
    shutil.copytree(ROOT / "seeds", work / "seeds")
    (work / "more" / "articles").mkdir(parents=True)
    sample = (ROOT / "tests" / "data" / "vietnews_sample.jsonl").read_text(encoding="utf-8").splitlines()
    records = "\n".join(json.dumps({"id": f"r{i}", "title": "", "body": json.loads(s)["body"]}, ensure_ascii=False)
                        for i, s in enumerate(sample[:2])) + "\n"
    for name in ("records.jsonl", "in.jsonl"):
        (work / name).write_text(records, encoding="utf-8")
    real = SHARED_DATA / "vietnews_val_2000.jsonl"
    if real.exists():
        (base / "shared" / "data").mkdir(parents=True)
        with real.open(encoding="utf-8") as src:
            head = [next(src) for _ in range(EVAL_SLICE)]
        (base / "shared" / "data" / real.name).write_text("".join(head), encoding="utf-8")
    bin_dir = base / "bin"
    bin_dir.mkdir()
    launcher = bin_dir / "diplobot"
    target = f'"{VENV_DIPLOBOT}"' if VENV_DIPLOBOT.exists() else f'"{sys.executable}" -m diplobot.cli'
    launcher.write_text(f'#!/bin/sh\nexec {target} "$@"\n')
    launcher.chmod(0o755)
    (work / ".venv" / "bin").mkdir(parents=True)
    (work / ".venv" / "bin" / "diplobot").symlink_to(launcher)
    db = base / "readme.db"
    shutil.copyfile(seeded_db_path, db)
    return work


def line_id(line: str) -> str:
    return line[:60]


@pytest.mark.parametrize("line", DOCUMENTED, ids=line_id)
def test_documented_command_runs(line, checkout, local_site):
    if line in SKIPS:
        pytest.skip(SKIPS[line])
    if "../shared/data/" in line and not (checkout.parent / "shared" / "data").exists():
        pytest.skip("../shared data is not in this checkout")
    command = CRON_RE.sub("", line)  # a crontab entry: its command, run in the checkout
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DIPLOBOT_", "TELEGRAM_", "PYTHONIOENCODING"))}
    env.update(PATH=f"{checkout.parent / 'bin'}{os.pathsep}{env.get('PATH', '')}", PYTHONPATH=str(ROOT),
               DIPLOBOT_DB=str(checkout.parent / "readme.db"),
               DIPLOBOT_FEEDS="none")  # `diplobot poll` must not read the built-in catalogue's real sites
    if "127.0.0.1:8000" in command:  # the documented local feed, served by a local site
        local_site.add_file("/rss.xml", "rss_doi_ngoai.xml", "application/rss+xml")
        command = command.replace("http://127.0.0.1:8000", local_site.base_url)
    sends_digests = re.search(r"\bdiplobot digest\b", command) and "--dry-run" not in command
    with FakeBotAPI() as api:
        if sends_digests:  # needs TELEGRAM_BOT_TOKEN, as documented: the fake Bot API stands in for Telegram
            env.update(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=api.base_url)
        done = subprocess.run(["bash", "-c", command], cwd=checkout, env=env, stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"{line}\n--- stdout\n{done.stdout[-2000:]}\n--- stderr\n{done.stderr[-2000:]}"
    assert "Traceback" not in done.stderr, done.stderr[-3000:]


def test_crontab_line_is_recognised():
    assert invokes_diplobot("* * * * *  cd /srv/diplobot && .venv/bin/diplobot digest")
    assert not invokes_diplobot("docker run -it -v diplobot-data:/data diplobot")
    assert invokes_diplobot("A=1 B=$(openssl rand -hex 32) C=2 .venv/bin/diplobot run")
    assert strip_comment("printf '/x # y\\n' | diplobot chat  # the chat") == "printf '/x # y\\n' | diplobot chat  "
    assert shlex.split("diplobot tags - < seeds/x.txt")[0] == "diplobot"
