"""Keep the bot token out of every log record.

The token is part of every Bot API URL, and libraries log URLs: httpx at INFO
(`HTTP Request: POST https://…/bot<token>/getMe`), PTB at DEBUG (`Set Bot API URL: …`),
and PTB's own `InvalidToken` message quotes the token. Setting loggers to WARNING is not
enough at DEBUG, so a log-record factory scrubs each record as it is created, before any
handler, filter or test capture sees it.
"""

from __future__ import annotations

import logging
import traceback

MASK = "<token>"
_secrets: set[str] = set()
_installed = False


def redact(text: str) -> str:
    """`text` with every registered secret replaced by a mask."""
    for secret in _secrets:
        if secret in text:
            text = text.replace(secret, MASK)
    return text


def _scrub(record: logging.LogRecord) -> None:
    try:
        message = record.getMessage()
    except Exception:  # a broken format string is logging's problem, not ours
        return
    clean = redact(message)
    if clean != message:
        record.msg, record.args = clean, ()
    if record.exc_info and record.exc_info[1] is not None:
        text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
        if redact(text) != text:
            record.exc_text = redact(text)  # formatters reuse exc_text as it is
    if record.stack_info:
        record.stack_info = redact(record.stack_info)


def install_redaction(*secrets: str) -> None:
    """Register secrets (empty ones ignored) and install the scrubbing factory once."""
    global _installed
    _secrets.update(s for s in secrets if s)
    if _installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args, **kwargs) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        if _secrets:
            _scrub(record)
        return record

    logging.setLogRecordFactory(factory)
    _installed = True
