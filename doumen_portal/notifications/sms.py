"""Text messages (SMS) through a pluggable backend, in the manner of Django's e-mail backends.

``settings.SMS_BACKEND`` names the class: ``ConsoleBackend`` in development, ``FileBackend`` in tests
(each message is a JSON line the test can read), ``LocmemBackend`` for in-process checks. A gateway
backend for production implements ``send_messages``.

A message may carry an ``out_id``: the sender's own reference, which Chinese SMS gateways accept (the
"OutId" of the request) and use to drop a request they have already accepted. The outbox sends its row's
ID there, so a message sent again after a worker died mid-delivery reaches the phone once. The file and
memory backends honour the key exactly as such a gateway does: a message whose ``out_id`` they have
already delivered is acknowledged and dropped; a message without one is always delivered (verification
codes, each one new).
"""

import fcntl
import json
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class TextMessage:
    phone: str  # E.164
    body: str
    out_id: str = ""  # idempotency key: a gateway delivers one message per out_id


class BaseBackend:
    def send_messages(self, messages: list[TextMessage]) -> int:
        """Send ``messages``; returns how many were accepted (a repeat of a known ``out_id`` included)."""
        raise NotImplementedError


class ConsoleBackend(BaseBackend):
    def send_messages(self, messages):
        for message in messages:
            reference = f" (out-id {message.out_id})" if message.out_id else ""
            sys.stdout.write(f"[SMS to {message.phone}{reference}] {message.body}\n")
        sys.stdout.flush()
        return len(messages)


def _record(message: TextMessage) -> dict:
    record = {"phone": message.phone, "body": message.body}
    if message.out_id:
        record["out_id"] = message.out_id
    return record | {"sent_at": timezone.now().isoformat()}


class FileBackend(BaseBackend):
    """Appends one JSON object per delivered message to ``SMS_FILE_PATH/messages.jsonl``.

    A message whose ``out_id`` is already in that file is dropped as a gateway drops a repeated request,
    and written to ``dropped.jsonl`` instead, so a test sees both what reached the phones and what the
    gateway refused to send twice. The check and the write hold an exclusive lock on the file, because
    several worker processes share it.
    """

    _lock = threading.Lock()

    def send_messages(self, messages):
        directory = Path(settings.SMS_FILE_PATH)
        directory.mkdir(parents=True, exist_ok=True)
        with self._lock, open(directory / "messages.jsonl", "a+", encoding="utf-8") as out:
            fcntl.flock(out, fcntl.LOCK_EX)  # released when the file closes
            out.seek(0)
            delivered = {json.loads(line).get("out_id") for line in out if line.strip()}
            dropped = []
            for message in messages:
                if message.out_id and message.out_id in delivered:
                    dropped.append(message)
                    continue
                delivered.add(message.out_id)
                out.write(json.dumps(_record(message), ensure_ascii=False) + "\n")
            if dropped:
                with open(directory / "dropped.jsonl", "a", encoding="utf-8") as repeats:
                    for message in dropped:
                        repeats.write(json.dumps(_record(message), ensure_ascii=False) + "\n")
        return len(messages)


outbox: list[TextMessage] = []


class LocmemBackend(BaseBackend):
    """Keeps delivered messages in ``outbox``; a repeated ``out_id`` still there is dropped."""

    def send_messages(self, messages):
        for message in messages:
            if message.out_id and any(sent.out_id == message.out_id for sent in outbox):
                continue
            outbox.append(message)
        return len(messages)


def get_backend() -> BaseBackend:
    return import_string(settings.SMS_BACKEND)()


def send_sms(phone: str, body: str, *, out_id: str = "") -> None:
    get_backend().send_messages([TextMessage(phone=phone, body=body, out_id=out_id)])


def _read_jsonl(name: str) -> list[dict]:
    path = Path(settings.SMS_FILE_PATH) / name
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def read_file_outbox() -> list[dict]:
    """Messages the file backend delivered, oldest first (for tests and local debugging)."""
    return _read_jsonl("messages.jsonl")


def read_file_dropped() -> list[dict]:
    """Repeats of an already delivered ``out_id`` that the file backend dropped, oldest first."""
    return _read_jsonl("dropped.jsonl")
