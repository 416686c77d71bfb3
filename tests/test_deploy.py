"""Dockerfile and compose.yaml, read and parsed (no Docker engine here): a health check that calls
a real command, a non-root user, the database on the /data volume, compose with .env and a named volume."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import yaml

from diplobot.cli import cli
from diplobot.settings import VARIABLES

ROOT = Path(__file__).resolve().parent.parent


def dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) per instruction, continuation lines joined, comments dropped."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n\s*", " ", "\n".join(lines))
    return [(m.group(1).upper(), m.group(2).strip()) for m in re.finditer(r"^(\w+)\s+(.*)$", joined, re.MULTILINE)]


def env_of(instructions) -> dict[str, str]:
    env = {}
    for name, args in instructions:
        if name == "ENV":
            env.update(word.split("=", 1) for word in shlex.split(args))
    return env


def test_dockerfile_health_check_user_and_data_volume():
    steps = dockerfile()
    names = [name for name, _ in steps]
    (health,) = [args for name, args in steps if name == "HEALTHCHECK"]
    options = dict(re.findall(r"--([\w-]+)=(\S+)", health))
    assert {"interval", "start-period", "timeout", "retries"} <= set(options)
    assert re.search(r"CMD \[\"diplobot\", \"health\"\]$", health)
    assert "health" in cli.commands  # the command the check runs exists
    (user,) = [args for name, args in steps if name == "USER"]
    assert user not in ("root", "0") and "useradd" in " ".join(a for n, a in steps if n == "RUN")
    assert names.index("USER") < names.index("CMD") and names.index("USER") < names.index("HEALTHCHECK")
    assert env_of(steps)["DIPLOBOT_DB"] == "/data/diplobot.db"
    (volume,) = [args for name, args in steps if name == "VOLUME"]
    assert "/data" in yaml.safe_load(volume)
    assert re.search(rf"chown -R {user}(:\S+)? /data", " ".join(a for n, a in steps if n == "RUN"))


def test_compose_runs_the_bot_with_env_file_and_a_named_volume():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    (service,) = compose["services"].values()
    env_files = service["env_file"] if isinstance(service["env_file"], list) else [service["env_file"]]
    assert ".env" in env_files and (ROOT / ".env.example").exists()
    mounts = [m.split(":") for m in service["volumes"]]
    assert [volume for volume, target in mounts if target == "/data"] == ["diplobot-data"]
    assert "diplobot-data" in compose["volumes"]
    assert service["environment"]["DIPLOBOT_DB"] == "/data/diplobot.db"
    assert service["environment"]["DIPLOBOT_BACKUP_DIR"].startswith("/data/")
    assert set(service["environment"]) <= {name for name, _, _ in VARIABLES}
    assert service["build"] == "." and service["restart"] == "unless-stopped"
