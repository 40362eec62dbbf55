"""Text messages (SMS) through a pluggable backend, in the manner of Django's e-mail backends.

``settings.SMS_BACKEND`` names the class: ``ConsoleBackend`` in development, ``FileBackend`` in tests
(each message is a JSON line the test can read), ``LocmemBackend`` for in-process checks. A gateway
backend for production implements ``send_messages``.
"""

import json
import sys
import threading
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class TextMessage:
    phone: str  # E.164
    body: str


class BaseBackend:
    def send_messages(self, messages: list[TextMessage]) -> int:
        raise NotImplementedError


class ConsoleBackend(BaseBackend):
    def send_messages(self, messages):
        for message in messages:
            sys.stdout.write(f"[SMS to {message.phone}] {message.body}\n")
        sys.stdout.flush()
        return len(messages)


class FileBackend(BaseBackend):
    """Appends one JSON object per line to ``SMS_FILE_PATH/messages.jsonl``."""

    _lock = threading.Lock()

    def send_messages(self, messages):
        directory = Path(settings.SMS_FILE_PATH)
        directory.mkdir(parents=True, exist_ok=True)
        with self._lock, open(directory / "messages.jsonl", "a", encoding="utf-8") as out:
            for message in messages:
                record = asdict(message) | {"sent_at": timezone.now().isoformat()}
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        return len(messages)


outbox: list[TextMessage] = []


class LocmemBackend(BaseBackend):
    def send_messages(self, messages):
        outbox.extend(messages)
        return len(messages)


def get_backend() -> BaseBackend:
    return import_string(settings.SMS_BACKEND)()


def send_sms(phone: str, body: str) -> None:
    get_backend().send_messages([TextMessage(phone=phone, body=body)])


def read_file_outbox() -> list[dict]:
    """Messages the file backend wrote, oldest first (for tests and local debugging)."""
    path = Path(settings.SMS_FILE_PATH) / "messages.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
