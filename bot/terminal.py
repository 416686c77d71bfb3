"""The terminal chat: the same handlers as Telegram, one command per line on stdin.

`echo "/latest" | diplobot chat` prints the reply and exits at end of input; a person
at a terminal gets a prompt and line editing. `/more` (or `+`) presses the last reply's
`Xem thêm ›` button, since a terminal has no buttons to tap.
"""

from __future__ import annotations

import asyncio
import io
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, TextIO

from bot.commands import parse_command, parse_more
from bot.handlers import dispatch
from bot.registry import BotContext, Command
from bot.replies import Attachment, Reply

PROMPT = "diplobot> "
MAX_LINE = 4096  # characters, as Telegram caps a message; the rest of a longer line is dropped
_MAX_LINE_BYTES = 4 * MAX_LINE + 2  # room for MAX_LINE characters of UTF-8 and a CRLF


def read_lines(stream: TextIO | BinaryIO, limit: int = MAX_LINE) -> Iterator[str]:
    """The lines of `stream`, each at most `limit` characters, in bounded memory.

    Bytes are decoded as UTF-8 with invalid sequences replaced (one bad byte never ends
    the chat, whatever PYTHONIOENCODING says); a longer line keeps its first `limit`
    characters and the rest is read in bounded pieces and skipped, never held whole.
    Each line is yielded as soon as it is read, so a caller can answer it at once.
    """
    binary = getattr(stream, "buffer", None) if isinstance(stream, io.TextIOBase) else stream
    piece_size = _MAX_LINE_BYTES if binary is not None else limit + 2
    source = binary if binary is not None else stream
    first = True
    while True:
        piece = source.readline(piece_size)
        if not piece:
            return
        text = piece.decode("utf-8", errors="replace") if isinstance(piece, bytes) else piece
        if first:
            text, first = text.lstrip("\ufeff"), False  # a byte-order mark from Windows editors
        ends = piece.endswith(b"\n" if isinstance(piece, bytes) else "\n")
        while not ends:  # an over-long line: skip to its end, one bounded piece at a time
            rest = source.readline(piece_size)
            if not rest:
                break
            ends = rest.endswith(b"\n" if isinstance(rest, bytes) else "\n")
        yield text.rstrip("\r\n")[:limit]


def render(reply: Reply) -> str:
    """Plain text for a reply, with its buttons as hints."""
    text = reply.text
    hints = []
    for row in reply.buttons:
        for button in row:
            if button.callback_data and button.callback_data.startswith("more|"):
                hints.append(f"[{button.text}] gõ /more")
            elif button.callback_data and button.callback_data.startswith("run|"):
                _, name, arg = button.callback_data.split("|", 2)
                hints.append(f"[{button.text}] gõ /{name} {arg}")
            elif button.url:
                hints.append(f"[{button.text}] {button.url}")
    return text + ("\n" + "\n".join(hints) if hints else "")


def save_attachment(attachment: Attachment, folder: Path) -> str:
    """Write a reply's file (a chart, a bulletin) under `folder` (DIPLOBOT_CHART_DIR); the line that says where."""
    path = (folder / Path(attachment.filename).name).resolve()
    temp = path.with_name(f".{path.name}.part")
    try:
        temp.write_bytes(attachment.data)
        temp.replace(path)  # a reader of the folder never sees half a file
    except OSError as exc:
        temp.unlink(missing_ok=True)
        return f"Không lưu được tệp {path}: {exc.strerror or exc}"
    noun = "Biểu đồ" if attachment.kind == "photo" else "Tệp"
    return f"{noun}: {path}"


class TerminalChat:
    """Reads lines, dispatches commands, prints replies."""

    def __init__(self, ctx: BotContext, stdin: TextIO | None = None, stdout: TextIO | None = None):
        self.ctx = ctx
        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout
        self.last_more: str | None = None

    async def answer(self, line: str) -> str | None:
        line = line.strip()
        if not line:
            return None
        if line in ("/more", "+"):
            cmd = parse_more(self.last_more) if self.last_more else None
            if cmd is None:
                return "Không còn gì để xem thêm."
        else:
            cmd = parse_command(line, chat_id=0, user_id=0, chat_type="private")
            if cmd is None:
                return "Gõ một lệnh bắt đầu bằng /, ví dụ /latest. Gõ /help để xem các lệnh."
        reply = await dispatch(self.ctx, cmd)
        self.last_more = next(
            (b.callback_data for row in reply.buttons for b in row if (b.callback_data or "").startswith("more|")),
            None,
        )
        out = render(reply)
        if reply.attachment is not None:
            out += "\n" + save_attachment(reply.attachment, self.ctx.settings.chart_dir)
        return out

    def _lines(self):
        interactive = self.stdin.isatty() and self.stdout.isatty()
        if interactive:
            if hasattr(self.stdin, "reconfigure"):  # a stray byte typed must not end the chat
                self.stdin.reconfigure(errors="replace")
            try:
                import readline  # noqa: F401  (line editing and history for input())
            except ImportError:
                pass
            self.stdout.write("Diplobot — gõ /help để xem các lệnh, Ctrl-D để thoát.\n")
            while True:
                try:
                    yield input(PROMPT)
                except EOFError:
                    self.stdout.write("\n")
                    return
        else:
            yield from read_lines(self.stdin)

    def run(self) -> None:
        for line in self._lines():
            out = asyncio.run(self.answer(line))
            if out is not None:
                self.stdout.write(out + "\n\n")
                self.stdout.flush()


def run_chat(ctx: BotContext, stdin: TextIO | None = None, stdout: TextIO | None = None) -> None:
    TerminalChat(ctx, stdin, stdout).run()


__all__ = ["Command", "TerminalChat", "render", "run_chat"]
