"""The terminal chat: the same handlers as Telegram, one command per line on stdin.

`echo "/latest" | diplobot chat` prints the reply and exits at end of input; a person
at a terminal gets a prompt and line editing. `/more` (or `+`) presses the last reply's
`Xem thêm ›` button, since a terminal has no buttons to tap.
"""

from __future__ import annotations

import asyncio
import sys
from typing import TextIO

from bot.commands import BotContext, Command, Reply, dispatch, parse_command, parse_more

PROMPT = "diplobot> "


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
        return render(reply)

    def _lines(self):
        interactive = self.stdin.isatty() and self.stdout.isatty()
        if interactive:
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
            yield from self.stdin

    def run(self) -> None:
        for line in self._lines():
            out = asyncio.run(self.answer(line))
            if out is not None:
                self.stdout.write(out + "\n\n")
                self.stdout.flush()


def run_chat(ctx: BotContext, stdin: TextIO | None = None, stdout: TextIO | None = None) -> None:
    TerminalChat(ctx, stdin, stdout).run()


__all__ = ["Command", "TerminalChat", "render", "run_chat"]
