"""The "my affairs" registry: each app tells what a person has filed with it.

An app registers a provider in its ``AppConfig.ready()``; the provider takes a user and returns
``Affair`` items (at most a bounded number of queries per app, whatever the number of items). The page
lists all of them, newest first.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class Affair:
    service: Promise  # the service's name
    title: str
    status: str
    reference: str
    url: str
    updated_at: datetime.datetime
    deadline: datetime.date | None = None
    deadline_provisional: bool = False
    finished: bool = False
    # The next move is the person's own (answer a request for information, accept an outcome or appeal).
    needs_action: bool = False


Provider = Callable[[object], Iterable[Affair]]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def affairs_of(user) -> list[Affair]:
    items = [affair for provider in _providers for affair in provider(user)]
    return sorted(items, key=lambda affair: affair.updated_at, reverse=True)
