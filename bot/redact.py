"""Keep the bot token out of every log line and every printed error.

The token is part of every Bot API URL, and libraries log URLs: httpx at INFO
(`HTTP Request: POST https://…/bot<token>/getMe`), PTB at DEBUG (`Set Bot API URL: …`),
and PTB's own `InvalidToken` message quotes the token. Setting loggers to WARNING is not
enough at DEBUG, so a log-record factory scrubs each record as it is created, before any
handler, filter or test capture sees it; a filter on the root handlers does it again for
records made by a factory installed after ours, and the hooks that print uncaught
exceptions and warnings scrub what they print.

Matching ignores case (a server may echo the URL lower-cased in an error description),
and a token's secret half (after the colon) is masked on its own, so a URL with the
colon percent-encoded (`123%3AAAE…`) or an echo of only the secret is caught too.
"""

from __future__ import annotations

import logging
import re
import sys
import threading
import traceback
import warnings

MASK = "<token>"
MIN_SECRET = 8  # shorter strings are not masked: hiding "ab" would mangle every line
_secrets: set[str] = set()
_pattern: re.Pattern[str] | None = None
_installed = False


def token_secrets(token: str) -> list[str]:
    """The strings to hide for a bot token: the token and the part after its colon."""
    if not token:
        return []
    secret_half = token.split(":", 1)[1] if ":" in token else ""
    return [token] + ([secret_half] if len(secret_half) >= MIN_SECRET else [])


def redact(text: str) -> str:
    """`text` with every registered secret, in any case, replaced by a mask."""
    if _pattern is None or not isinstance(text, str):
        return text
    return _pattern.sub(MASK, text)


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
    elif record.exc_text:
        record.exc_text = redact(record.exc_text)
    if record.stack_info:
        record.stack_info = redact(record.stack_info)


class RedactFilter(logging.Filter):
    """Scrubs records on a handler (for records made by a factory that bypasses ours)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if _pattern is not None:
            _scrub(record)
        return True


_FILTER = RedactFilter()


def guard_handlers(logger: logging.Logger | None = None) -> None:
    """Put the redaction filter on every handler of `logger` (the root logger by default)."""
    for handler in (logger or logging.getLogger()).handlers:
        if _FILTER not in handler.filters:
            handler.addFilter(_FILTER)


def _print_exception(exc_type, exc, tb, file=None) -> None:
    text = "".join(traceback.format_exception(exc_type, exc, tb))
    (file or sys.stderr).write(redact(text))


def _install_hooks() -> None:
    previous_factory = logging.getLogRecordFactory()

    def factory(*args, **kwargs) -> logging.LogRecord:
        record = previous_factory(*args, **kwargs)
        if _pattern is not None:
            _scrub(record)
        return record

    logging.setLogRecordFactory(factory)
    sys.excepthook = _print_exception

    def thread_hook(args) -> None:
        if args.exc_type is not SystemExit:
            sys.stderr.write(f"Exception in thread {getattr(args.thread, 'name', '?')}:\n")
            _print_exception(args.exc_type, args.exc_value, args.exc_traceback)

    threading.excepthook = thread_hook

    def unraisable_hook(unraisable) -> None:
        sys.stderr.write(redact(f"Exception ignored in: {unraisable.object!r}\n"))
        if unraisable.exc_type is not None:
            _print_exception(unraisable.exc_type, unraisable.exc_value, unraisable.exc_traceback)

    sys.unraisablehook = unraisable_hook
    format_warning = warnings.formatwarning
    warnings.formatwarning = lambda *a, **k: redact(format_warning(*a, **k))


def install_redaction(*secrets: str) -> None:
    """Register secrets (empty or very short ones ignored) and install the scrubbing once."""
    global _installed, _pattern
    _secrets.update(s for s in secrets if s and len(s) >= 4)
    if _secrets:
        # Longest first, so a token is masked whole before its secret half is looked for.
        alternatives = sorted(_secrets, key=len, reverse=True)
        _pattern = re.compile("|".join(re.escape(s) for s in alternatives), re.IGNORECASE)
    guard_handlers()
    if not _installed:
        _install_hooks()
        _installed = True


def protect_token(token: str, *more: str) -> None:
    """Hide a bot token (and its secret half), plus any other secrets, from all output."""
    install_redaction(*token_secrets(token), *more)
