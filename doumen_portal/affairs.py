"""The "my affairs" registry: each app tells what a person has filed with it.

An app registers a provider in its ``AppConfig.ready()``; the provider takes a user, ``before`` (a time,
or None), ``limit`` and ``show`` (one of ``SHOW``), and returns at most ``limit`` ``Affair`` items of that
kind updated before that time, newest first (one indexed query per app, whatever the number of items). The
page lists them a page at a time, newest first: a person with a thousand petitions gets 20 rows and a link to
older ones.
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


Provider = Callable[..., Iterable[Affair]]
PAGE_SIZE = 20
# all, waiting for the person's own move, in progress, finished
SHOW = ("all", "action", "open", "done")
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def affairs_of(
    user, *, before: datetime.datetime | None = None, limit: int = PAGE_SIZE, show: str = "all"
) -> list[Affair]:
    """The ``limit`` affairs of ``user`` of the kind ``show`` updated most recently (before ``before``, if given)."""
    items = [affair for provider in _providers for affair in provider(user, before=before, limit=limit, show=show)]
    return sorted(items, key=lambda affair: affair.updated_at, reverse=True)[:limit]


def affairs_page(user, *, before: datetime.datetime | None = None, size: int = PAGE_SIZE, show: str = "all"):
    """One page of a person's affairs of the kind ``show``, and the ``before`` of the next (older) page, or None."""
    items = affairs_of(user, before=before, limit=size + 1, show=show)
    if len(items) > size:
        return items[:size], items[size - 1].updated_at
    return items, None
