"""The "my affairs" registry: each app tells what a person has filed with it.

An app registers a provider in its ``AppConfig.ready()``; the provider takes a user, ``before`` (a time,
or None) and ``limit``, and returns at most ``limit`` ``Affair`` items updated before that time, newest
first (one indexed query per app, whatever the number of items). The page lists them a page at a time,
newest first: a person with a thousand petitions gets 20 rows and a link to older ones.
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


Provider = Callable[..., Iterable[Affair]]
PAGE_SIZE = 20
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def affairs_of(user, *, before: datetime.datetime | None = None, limit: int = PAGE_SIZE) -> list[Affair]:
    """The ``limit`` affairs of ``user`` updated most recently (before ``before``, if given)."""
    items = [affair for provider in _providers for affair in provider(user, before=before, limit=limit)]
    return sorted(items, key=lambda affair: affair.updated_at, reverse=True)[:limit]


def affairs_page(user, *, before: datetime.datetime | None = None, size: int = PAGE_SIZE):
    """One page of a person's affairs, and the ``before`` of the next (older) page, or None."""
    items = affairs_of(user, before=before, limit=size + 1)
    if len(items) > size:
        return items[:size], items[size - 1].updated_at
    return items, None
