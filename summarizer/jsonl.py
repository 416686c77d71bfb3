"""Batch summaries over JSON lines: `{"id","title","body"}` in, `{"id","summary","backend"}` out.

One output line per input line, in input order, so the output can be joined back to the
input by line number even when a record is broken: a malformed line or a failing record
gives an empty summary (backend "error") and one warning on stderr, never a stop.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from typing import IO

from summarizer.base import Summarizer


def _record(line: str) -> dict:
    record = json.loads(line)
    if not isinstance(record, dict):
        raise ValueError("not a JSON object")
    return record


def summarize_jsonl(
    in_lines: Iterable[str],
    summarizer: Summarizer,
    out: IO[str],
    err: IO[str] | None = None,
    progress: bool = False,
) -> tuple[int, int]:
    """Write one summary line to `out` per line of `in_lines`; return (written, failed).

    Blank input lines are skipped (they are not records). With `progress`, a tqdm bar
    and a closing summary line go to `err` (stderr by default), never to `out`.
    """
    err = err or sys.stderr
    written = failed = 0
    if progress:
        from tqdm import tqdm

        in_lines = tqdm(in_lines, desc="summarize", unit="line", file=err)
    for number, line in enumerate(in_lines, start=1):
        if not line.strip():
            continue
        record_id = None
        try:
            record = _record(line)
            record_id = record.get("id")
            title, body = str(record.get("title") or ""), str(record.get("body") or "")
            summary = summarizer.summarize(title, body)
            row = {"id": record_id, "summary": summary.text, "backend": summary.backend}
        except Exception as exc:  # one bad record must not lose the others
            failed += 1
            print(f"warning: line {number} (id {record_id!r}): {type(exc).__name__}: {exc}", file=err)
            row = {"id": record_id, "summary": "", "backend": "error"}
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        written += 1
    if progress:
        print(f"{written} summaries written ({failed} failed) by {summarizer.name}", file=err)
    return written, failed
