"""docs/operating.md matches the code: its `diplobot` lines run as written, the variables it
names exist, and the README links it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from diplobot.settings import VARIABLES
from storage import open_db

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "operating.md"


def diplobot_lines(markdown: str) -> list[str]:
    blocks = re.findall(r"^```sh\n(.*?)^```", markdown, re.DOTALL | re.MULTILINE)
    lines = [line.split("  #")[0].strip() for block in blocks for line in block.splitlines()]
    return [line for line in lines if line.startswith("diplobot ")]


def test_documented_diplobot_lines_run(tmp_path):
    lines = diplobot_lines(DOC.read_text(encoding="utf-8"))
    assert {line.split()[1] for line in lines} == {"backup", "health"}
    db = open_db(tmp_path / "diplobot.db")
    db.execute("insert into chats (chat_id, digest_enabled) values (1, 1)")
    db.close()
    (tmp_path / "backups").mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DIPLOBOT_", "TELEGRAM_"))}
    env.update(PYTHONPATH=str(ROOT), DIPLOBOT_DB=str(tmp_path / "diplobot.db"), DIPLOBOT_FEEDS="none",
               PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}")
    script = "set -e\n" + "\n".join(lines)
    done = subprocess.run(["bash", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert len(list((tmp_path / "backups").iterdir())) == 1


def test_named_variables_exist_and_readme_links_the_page():
    known = {name for name, _, _ in VARIABLES}
    named = set(re.findall(r"\b(DIPLOBOT_[A-Z_]+|TELEGRAM_[A-Z_]+)\b", DOC.read_text(encoding="utf-8")))
    assert named and named <= known, named - known
    assert "docs/operating.md" in (ROOT / "README.md").read_text(encoding="utf-8")
