"""A fake Telegram Bot API server on 127.0.0.1 for tests and benchmarks.

The real PTB `Application` talks to it over HTTP exactly as to api.telegram.org
(`TELEGRAM_API_BASE_URL=http://127.0.0.1:PORT/bot`). Tests inject updates (served by a
long-polling `getUpdates`), read back every call with its parameters and the time it
arrived, and inject failures (429 with retry_after, 403, 401 at getMe). Like Telegram,
it refuses HTML it cannot parse (`can't parse entities`) and texts over 4096 characters,
so a bot that passes here sends messages Telegram accepts. Chats a test registers
(`add_chat`: channels and groups with a title and an @username, forums with their topics)
answer getChat by id or @username, and a message into a topic they lack is refused
(`message thread not found`), as Telegram does after a topic is deleted; `set_member`
says what getChatMember answers for a user or the bot itself.

Standard library only: `ThreadingHTTPServer` in a daemon thread.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import time
from dataclasses import dataclass, field, replace
from html import unescape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable
from urllib.parse import parse_qsl

TOKEN = "123:abc"
BOT_USER = {"id": 123, "is_bot": True, "first_name": "Diplobot", "username": "diplobot_test_bot",
            "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": True}
MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024  # a photo's or document's caption

# --- Telegram HTML, checked the strict way (https://core.telegram.org/bots/api#html-style) -------

ALLOWED_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
                "blockquote", "tg-spoiler", "span"}
_TAG_RE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>\"']+))?)*)\s*>")
_ATTR_RE = re.compile(r"([a-zA-Z-]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>\"']+)))?")
_ENTITY_RE = re.compile(r"&(?:lt|gt|amp|quot|#\d{1,7}|#[xX][0-9a-fA-F]{1,6});")


def _attr_problems(name: str, attrs: dict[str, str], parents: list[str]) -> list[str]:
    if name == "a":
        href = attrs.get("href", "")
        ok = set(attrs) == {"href"} and re.match(r"^(https?|tg|mailto):", href, re.IGNORECASE)
        return [] if ok else [f"bad <a> attributes {attrs!r}"]
    if name == "span":
        return [] if attrs == {"class": "tg-spoiler"} else [f"<span> needs class=tg-spoiler, got {attrs!r}"]
    if name == "code" and attrs:
        ok = set(attrs) == {"class"} and attrs["class"].startswith("language-") and parents[-1:] == ["pre"]
        return [] if ok else [f"bad <code> attributes {attrs!r}"]
    if name == "blockquote" and attrs:
        return [] if set(attrs) == {"expandable"} else [f"bad <blockquote> attributes {attrs!r}"]
    return [f"<{name}> takes no attributes, got {attrs!r}"] if attrs else []


def check_html(markup: str) -> tuple[str, list[str]]:
    """(visible text, problems) for a Telegram-HTML string; no problems = Telegram accepts it."""
    problems: list[str] = []
    text: list[str] = []
    stack: list[str] = []
    i = 0
    while i < len(markup):
        ch = markup[i]
        if ch == "<":
            m = _TAG_RE.match(markup, i)
            if not m:
                problems.append(f"unescaped < at {i}")
                i += 1
                continue
            closing, name = bool(m.group(1)), m.group(2).lower()
            if name not in ALLOWED_TAGS:
                problems.append(f"unsupported tag <{name}>")
            elif closing:
                if m.group(3).strip():
                    problems.append(f"attributes on </{name}>")
                if not stack or stack[-1] != name:
                    problems.append(f"</{name}> does not close {stack[-1:] or 'anything'}")
                else:
                    stack.pop()
            else:
                attrs = {a.group(1).lower(): unescape(a.group(2) or a.group(3) or a.group(4) or "")
                         for a in _ATTR_RE.finditer(m.group(3))}
                problems += _attr_problems(name, attrs, stack)
                if name == "a" and "a" in stack:
                    problems.append("nested <a>")
                stack.append(name)
            i = m.end()
        elif ch == "&":
            m = _ENTITY_RE.match(markup, i)
            if not m:
                problems.append(f"bare & or unsupported entity at {i}: {markup[i:i + 10]!r}")
                i += 1
                continue
            decoded = unescape(m.group(0))
            if len(decoded) != 1 and not m.group(0).startswith("&#"):
                problems.append(f"bad entity {m.group(0)}")
            text.append(decoded)
            i = m.end()
        elif ch == ">":
            problems.append(f"unescaped > at {i}")
            i += 1
        else:
            text.append(ch)
            i += 1
    if stack:
        problems.append(f"unclosed tags {stack}")
    return "".join(text), problems


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


# --- updates a test injects ---------------------------------------------------------------

_message_ids = itertools.count(1000)


def chat_dict(chat_id: int, chat_type: str | None = None, title: str | None = None) -> dict[str, Any]:
    chat_type = chat_type or ("private" if chat_id > 0 else "supergroup" if str(chat_id).startswith("-100") else "group")
    chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
    if chat_type == "private":
        chat["first_name"] = "Lan"
    else:
        chat["title"] = title or f"Nhóm {chat_id}"
    return chat


def user_dict(user_id: int) -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": "Lan", "language_code": "vi"}


def message_update(text: str, chat_id: int = 42, user_id: int = 42, chat_type: str | None = None,
                   **extra: Any) -> dict[str, Any]:
    """A message; text starting with `/` carries a bot_command entity, as Telegram sends it."""
    message: dict[str, Any] = {"message_id": next(_message_ids), "date": int(time.time()),
                               "chat": chat_dict(chat_id, chat_type), "text": text}
    if user_id:
        message["from"] = user_dict(user_id)
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": utf16_len(text.split()[0])}]
    message.update(extra)
    return {"message": message}


def channel_post_update(text: str, chat_id: int = -1001234) -> dict[str, Any]:
    update = message_update(text, chat_id, 0, "channel")
    update["message"]["sender_chat"] = update["message"]["chat"]
    return {"channel_post": update["message"]}


def callback_update(data: str, chat_id: int = 42, user_id: int = 42, message_id: int = 1,
                    chat_type: str | None = None, message_text: str = "…") -> dict[str, Any]:
    message = {"message_id": message_id, "date": int(time.time()), "chat": chat_dict(chat_id, chat_type),
               "text": message_text, "from": BOT_USER}
    return {"callback_query": {"id": f"cb{next(_message_ids)}", "from": user_dict(user_id),
                               "chat_instance": "ci", "data": data, "message": message}}


def inline_update(query: str, user_id: int = 42, offset: str = "") -> dict[str, Any]:
    return {"inline_query": {"id": f"iq{next(_message_ids)}", "from": user_dict(user_id), "query": query,
                             "offset": offset, "chat_type": "sender"}}


def member_dict(status: str, user: dict[str, Any]) -> dict[str, Any]:
    member: dict[str, Any] = {"status": status, "user": user}
    if status == "administrator":
        member.update(can_be_edited=False, is_anonymous=False, can_manage_chat=True, can_delete_messages=True,
                      can_manage_video_chats=True, can_restrict_members=True, can_promote_members=False,
                      can_change_info=True, can_invite_users=True, can_post_stories=False,
                      can_edit_stories=False, can_delete_stories=False, can_post_messages=True)
    elif status == "creator":
        member.update(is_anonymous=False)
    elif status == "kicked":
        member.update(until_date=0)
    elif status == "restricted":
        member.update({"is_member": True, "until_date": 0, "can_edit_tag": False},
                      **{f"can_{right}": True for right in _RESTRICTED_RIGHTS})
    return member


_RESTRICTED_RIGHTS = ("change_info", "invite_users", "pin_messages", "send_messages", "send_polls",
                      "send_other_messages", "add_web_page_previews", "manage_topics", "send_audios",
                      "send_documents", "send_photos", "send_videos", "send_video_notes", "send_voice_notes")


def topic_message_update(text: str, chat_id: int, thread_id: int, user_id: int = 42) -> dict[str, Any]:
    """A message typed in forum topic `thread_id` of supergroup `chat_id`."""
    update = message_update(text, chat_id=chat_id, user_id=user_id, chat_type="supergroup",
                            message_thread_id=thread_id, is_topic_message=True)
    update["message"]["chat"]["is_forum"] = True
    return update


def my_chat_member_update(chat_id: int, old: str, new: str, chat_type: str | None = None,
                          user_id: int = 42) -> dict[str, Any]:
    return {"my_chat_member": {"chat": chat_dict(chat_id, chat_type), "from": user_dict(user_id),
                               "date": int(time.time()), "old_chat_member": member_dict(old, BOT_USER),
                               "new_chat_member": member_dict(new, BOT_USER)}}


# --- the server ---------------------------------------------------------------------------

@dataclass
class FakeChat:
    """A chat registered with the fake (`FakeBotAPI.add_chat`)."""

    id: int
    type: str
    title: str | None = None
    username: str | None = None
    topics: set[int] | None = None  # a forum's open topics; None: not a forum
    members_may_send: bool = True  # the group's default permission (getChat `permissions`)

    def as_dict(self) -> dict[str, Any]:
        chat = {**chat_dict(self.id, self.type, self.title), "accent_color_id": 0, "max_reaction_count": 11}
        if self.username:
            chat["username"] = self.username
        if self.topics is not None:
            chat["is_forum"] = True
        if self.type in ("group", "supergroup"):
            chat["permissions"] = {"can_send_messages": self.members_may_send}
        return chat


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float  # time.perf_counter() when the request arrived
    status: int = 200

    @property
    def chat_id(self) -> int | None:
        value = self.params.get("chat_id")
        return int(value) if value is not None and str(value).lstrip("-").isdigit() else None

    @property
    def text(self) -> str:
        return str(self.params.get("text", ""))


@dataclass
class Failure:
    status: int
    description: str
    parameters: dict[str, Any] = field(default_factory=dict)
    times: int = 1


def _decode(value: str) -> Any:
    """PTB sends JSON-encoded objects as form values; scalars stay strings."""
    if value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _multipart(content_type: str, body: bytes) -> dict[str, Any]:
    """The fields of a multipart/form-data body (PTB sends files this way); a file is
    {"filename", "data"}, and a field that says `attach://name` gets that file."""
    from email.parser import BytesParser
    from email.policy import HTTP

    message = BytesParser(policy=HTTP).parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + body)
    params: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        data = part.get_payload(decode=True) or b""
        filename = part.get_filename()
        params[name] = {"filename": filename, "data": data} if filename else _decode(data.decode())
    for key, value in list(params.items()):
        if isinstance(value, str) and value.startswith("attach://"):
            params[key] = params.pop(value[len("attach://"):], value)
    return params


class _Server(ThreadingHTTPServer):
    # The default backlog of 5 overflows on a loaded machine when a fan-out opens 16
    # connections at once: the kernel completes the handshake, then resets the connection
    # after the request went out, and a send reads as "uncertain". Telegram never does that.
    request_queue_size = 128


class FakeBotAPI:
    """The server: `with FakeBotAPI() as api:` then point the bot at `api.base_url`."""

    def __init__(self, token: str = TOKEN, max_poll: float | None = None, echo_path: bool = False):
        self.token = token
        self.max_poll = max_poll  # cap on getUpdates long polls (None: honour the bot's timeout)
        # Error descriptions quote the request path upper- and lower-cased, token included, as
        # careless proxies and self-hosted servers do: the bot must mask it in any case.
        self.echo_path = echo_path
        self.calls: list[Call] = []
        self.admins: dict[int, set[int]] = {}
        self.chats: dict[int, FakeChat] = {}
        self.members: dict[tuple[int, int], dict[str, Any]] = {}  # (chat, user) → getChatMember's answer
        self.failures: dict[str, list[Failure]] = {}
        self.on_call: Callable[[Call], None] | None = None
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._answered: set[str] = set()
        self._cond = threading.Condition()
        self._closing = False
        self._server = _Server(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._server.block_on_close = False
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), name="fake-bot-api",
                                        daemon=True)

    # lifecycle
    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    def start(self) -> "FakeBotAPI":
        self._thread.start()
        return self

    def stop(self) -> None:
        with self._cond:
            self._closing = True
            self._cond.notify_all()
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> "FakeBotAPI":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # what tests do
    def inject(self, update: dict[str, Any]) -> int:
        """Queue an update for getUpdates; returns its update_id."""
        with self._cond:
            update = {"update_id": next(self._update_ids), **update}
            self._updates.append(update)
            self._cond.notify_all()
            return update["update_id"]

    def add_chat(self, chat_id: int, chat_type: str, title: str | None = None, username: str | None = None,
                 topics: set[int] | None = None, members_may_send: bool = True) -> FakeChat:
        """Register a chat: getChat finds it by id or @username; `topics` makes it a forum."""
        chat = FakeChat(chat_id, chat_type, title, username, set(topics) if topics is not None else None,
                        members_may_send)
        with self._cond:
            self.chats[chat_id] = chat
        return chat

    def delete_topic(self, chat_id: int, thread_id: int) -> None:
        with self._cond:
            self.chats[chat_id].topics.discard(thread_id)

    def set_member(self, chat_id: int, user_id: int, status: str, **rights: Any) -> None:
        """What getChatMember answers for `user_id` (BOT_USER["id"] for the bot itself): a
        status (`administrator`, `member`, `restricted`, `left`…), rights overridden, e.g.
        `can_post_messages=False`."""
        user = BOT_USER if user_id == BOT_USER["id"] else user_dict(user_id)
        with self._cond:
            self.members[(chat_id, user_id)] = {**member_dict(status, user), **rights}

    def fail(self, method: str, status: int, description: str, times: int = 1, **parameters: Any) -> None:
        """The next `times` calls of `method` get this error (e.g. 429 with retry_after=1)."""
        with self._cond:
            self.failures.setdefault(method, []).append(Failure(status, description, parameters, times))

    def calls_of(self, method: str, ok_only: bool = True) -> list[Call]:
        with self._cond:
            return [c for c in self.calls if c.method == method and (c.status == 200 or not ok_only)]

    def sent(self, chat_id: int | None = None) -> list[Call]:
        """Successful sendMessage calls, optionally to one chat."""
        return [c for c in self.calls_of("sendMessage") if chat_id is None or c.chat_id == chat_id]

    def wait_for(self, method: str, count: int = 1, timeout: float = 10.0,
                 where: Callable[[Call], bool] | None = None, ok_only: bool = True) -> list[Call]:
        """Block until `count` matching calls arrived; AssertionError after `timeout`."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = [c for c in self.calls if c.method == method and (c.status == 200 or not ok_only)
                         and (where is None or where(c))]
                if len(found) >= count:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [(c.method, c.status) for c in self.calls]
                    raise AssertionError(f"waited {timeout}s for {count} × {method}; calls so far: {seen}")
                self._cond.wait(left)

    def pending_updates(self) -> int:
        with self._cond:
            return len(self._updates)

    # serving
    def _handler_class(self):
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as with Telegram
            disable_nagle_algorithm = True  # else headers and body wait out a 40 ms delayed ACK

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                status, payload = api._route(self.path, self.headers.get("Content-Type", ""), body)
                data = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):  # the bot hung up (stopped polling)
                    self.close_connection = True

            do_GET = do_POST  # noqa: N815

            def log_message(self, *args: Any) -> None:  # quiet
                pass

        return Handler

    def _route(self, path: str, content_type: str, body: bytes) -> tuple[int, dict[str, Any]]:
        m = re.fullmatch(r"/bot([^/]+)/(\w+)", path.split("?", 1)[0])
        if not m:
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        token, method = m.groups()
        if "json" in content_type:
            params = json.loads(body or b"{}")
        elif "multipart/form-data" in content_type:
            params = _multipart(content_type, body)
        else:
            params = {k: _decode(v) for k, v in parse_qsl(body.decode(), keep_blank_values=True)}
        call = Call(method, params, time.perf_counter())
        echo = f" ({path.upper()} {path.lower()})" if self.echo_path else ""
        if token != self.token:
            return self._record(call, 401, {"ok": False, "error_code": 401, "description": "Unauthorized" + echo})
        failure = self._take_failure(method)
        if failure:
            payload = {"ok": False, "error_code": failure.status, "description": failure.description + echo}
            if failure.parameters:
                payload["parameters"] = failure.parameters
            return self._record(call, failure.status, payload)
        if method == "getUpdates":  # recorded on arrival: a long poll may wait a while
            self._record(call, 200, {})
            return 200, {"ok": True, "result": self._get_updates(params)}
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            return self._record(call, 404, {"ok": False, "error_code": 404, "description": "Not Found: method not found"})
        try:
            result = handler(params)
        except BadRequest as exc:
            return self._record(call, 400, {"ok": False, "error_code": 400, "description": f"Bad Request: {exc}"})
        return self._record(call, 200, {"ok": True, "result": result})

    def _record(self, call: Call, status: int, payload: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        call.status = status
        with self._cond:
            self.calls.append(call)
            self._cond.notify_all()
        if self.on_call:
            self.on_call(call)
        return status, payload

    def _take_failure(self, method: str) -> Failure | None:
        with self._cond:
            queue = self.failures.get(method)
            if not queue:
                return None
            failure = queue[0]
            failure.times -= 1
            if failure.times <= 0:
                queue.pop(0)
            return failure

    def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        if self.max_poll is not None:
            timeout = min(timeout, self.max_poll)
        limit = int(params.get("limit") or 100)
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
                left = deadline - time.monotonic()
                if self._updates or left <= 0 or self._closing:
                    return self._updates[:limit]
                self._cond.wait(left)

    # methods
    def _message(self, params: dict[str, Any], text: str) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        known = self.chats.get(chat_id)
        message = {"message_id": next(_message_ids), "date": int(time.time()),
                   "chat": known.as_dict() if known else chat_dict(chat_id), "from": BOT_USER, "text": text}
        if params.get("message_thread_id") is not None:
            message.update(message_thread_id=int(params["message_thread_id"]), is_topic_message=True)
        return message

    def _check_thread(self, params: dict[str, Any]) -> None:
        """A forum refuses a topic it does not have (never created, or deleted since)."""
        thread = params.get("message_thread_id")
        chat = self.chats.get(int(params["chat_id"])) if str(params["chat_id"]).lstrip("-").isdigit() else None
        if thread is not None and chat is not None and chat.topics is not None and int(thread) not in chat.topics:
            raise BadRequest("message thread not found")

    def _known_chat(self, ref: Any) -> FakeChat | None:
        """A registered chat by id or @username; BadRequest for an @username nobody has."""
        text = str(ref)
        if text.startswith("@"):
            found = [c for c in self.chats.values() if c.username and c.username.lower() == text[1:].lower()]
            if not found:
                raise BadRequest("chat not found")
            return found[0]
        return self.chats.get(int(text))

    def _check_text(self, params: dict[str, Any], key: str = "text", mode_key: str = "parse_mode") -> str:
        text = str(params.get(key, ""))
        visible, problems = check_html(text) if params.get(mode_key) == "HTML" else (text, [])
        if problems:
            raise BadRequest(f"can't parse entities: {problems[0]}")
        if not visible.strip():
            raise BadRequest("message text is empty")
        if utf16_len(visible) > MESSAGE_LIMIT:
            raise BadRequest("message is too long")
        return visible

    def _check_markup(self, params: dict[str, Any]) -> None:
        markup = params.get("reply_markup") or {}
        for row in markup.get("inline_keyboard", []):
            for button in row:
                if len(button.get("callback_data", "").encode()) > 64:
                    raise BadRequest("BUTTON_DATA_INVALID")

    def _m_getMe(self, params):  # noqa: N802
        return BOT_USER

    def _m_sendMessage(self, params):  # noqa: N802
        visible = self._check_text(params)
        self._check_thread(params)
        self._check_markup(params)
        return self._message(params, visible)

    def _file(self, params: dict[str, Any], key: str) -> dict[str, Any]:
        """A sent file's Telegram description; BadRequest without a file or with a bad caption."""
        upload = params.get(key)
        if not isinstance(upload, dict) or not upload.get("data"):
            raise BadRequest(f"there is no {key} in the request")
        if params.get("caption"):
            visible, problems = check_html(str(params["caption"])) if params.get("parse_mode") == "HTML" else (
                str(params["caption"]), [])
            if problems:
                raise BadRequest(f"can't parse entities: {problems[0]}")
            if utf16_len(visible) > CAPTION_LIMIT:
                raise BadRequest("message caption is too long")
        self._check_markup(params)
        unique = f"f{next(_message_ids)}"
        return {"file_id": unique, "file_unique_id": unique, "file_size": len(upload["data"]),
                "file_name": upload["filename"]}

    def _m_sendPhoto(self, params):  # noqa: N802
        file = self._file(params, "photo")
        photo = [{k: file[k] for k in ("file_id", "file_unique_id", "file_size")} | {"width": 1000, "height": 560}]
        return {**self._media_message(params), "photo": photo}

    def _m_sendDocument(self, params):  # noqa: N802
        return {**self._media_message(params), "document": self._file(params, "document")}

    def _media_message(self, params: dict[str, Any]) -> dict[str, Any]:
        message = {k: v for k, v in self._message(params, "").items() if k != "text"}
        return {**message, "caption": check_html(str(params.get("caption", "")))[0]}

    def _m_editMessageText(self, params):  # noqa: N802
        visible = self._check_text(params)
        self._check_markup(params)
        return {**self._message(params, visible), "message_id": int(params["message_id"])}

    def _m_editMessageReplyMarkup(self, params):  # noqa: N802
        self._check_markup(params)
        return {**self._message(params, "…"), "message_id": int(params["message_id"])}

    def _m_answerCallbackQuery(self, params):  # noqa: N802
        query_id = str(params["callback_query_id"])
        with self._cond:
            if query_id in self._answered:
                raise BadRequest("query is too old and response timeout expired or query ID is invalid")
            self._answered.add(query_id)
        return True

    def _m_answerInlineQuery(self, params):  # noqa: N802
        for result in params.get("results") or []:
            content = result.get("input_message_content") or {}
            self._check_text(content, "message_text", "parse_mode")
        return True

    def _m_getChatMember(self, params):  # noqa: N802
        known = self._known_chat(params["chat_id"])
        chat_id, user_id = known.id if known else int(params["chat_id"]), int(params["user_id"])
        if (chat_id, user_id) in self.members:
            return self.members[(chat_id, user_id)]
        bot = self.members.get((chat_id, BOT_USER["id"]), {})
        if known and known.type == "channel" and bot.get("status") != "administrator":
            raise BadRequest("member list is inaccessible")  # a channel shows its members to its admins only
        status = "administrator" if user_id in self.admins.get(chat_id, set()) else "member"
        return member_dict(status, user_dict(user_id))

    def _m_getChat(self, params):  # noqa: N802
        known = self._known_chat(params["chat_id"])
        if known:
            return known.as_dict()
        return {**chat_dict(int(params["chat_id"])), "accent_color_id": 0, "max_reaction_count": 11}

    def _m_setMyCommands(self, params):  # noqa: N802
        for command in params.get("commands") or []:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", command["command"]) or not 1 <= len(command["description"]) <= 256:
                raise BadRequest("BOT_COMMAND_INVALID")
        return True

    def _m_deleteMyCommands(self, params):  # noqa: N802
        return True

    def _m_deleteWebhook(self, params):  # noqa: N802
        return True

    def _m_setWebhook(self, params):  # noqa: N802
        return True

    def _m_close(self, params):
        return True

    def _m_logOut(self, params):  # noqa: N802
        return True


class BadRequest(Exception):
    """A 400 from the fake, with Telegram's wording."""


# --- running Diplobot against it ----------------------------------------------------------

class BotThread:
    """The real Diplobot `Application` in a thread with its own event loop, so a test can
    inject updates and block on `FakeBotAPI.wait_for` while the bot works. The database is
    opened inside that thread (SQLite connections stay in their thread)."""

    def __init__(self, settings: Any, db_path: Any, configure: Callable[[Any], None] | None = None,
                 listen: str = "127.0.0.1"):
        if getattr(settings, "feeds_from", "") == "catalogue":  # tests never poll the catalogue's real sites
            settings = replace(settings, feeds=[], feeds_from="env")  # polls only what a test adds
        self.settings, self.db_path, self.configure, self.listen = settings, db_path, configure, listen
        self.app: Any = None
        self.error: BaseException | None = None
        self._ready = threading.Event()
        self._loop: Any = None
        self._stop: Any = None
        self._thread = threading.Thread(target=self._run, name="diplobot", daemon=True)

    def _run(self) -> None:
        import asyncio

        asyncio.run(self._main())

    async def _main(self) -> None:
        import asyncio

        from bot.telegram import build_application, start, stop
        from storage import open_db

        self._loop, self._stop = asyncio.get_running_loop(), asyncio.Event()
        try:
            self.app = build_application(self.settings, open_db(self.db_path))
            if self.configure:
                self.configure(self.app)
            await start(self.app, self.settings, self.listen)
        except BaseException as exc:  # handed to the test thread
            self.error = exc
            self._ready.set()
            return
        self._ready.set()
        try:
            await self._stop.wait()
        finally:
            await stop(self.app)

    def __enter__(self) -> "BotThread":
        self._thread.start()
        if not self._ready.wait(30):
            raise AssertionError("the bot did not start within 30 s")
        if self.error is not None:
            raise self.error
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._loop is not None and self._stop is not None and self.error is None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(30)
        assert not self._thread.is_alive(), "the bot did not stop within 30 s"
