"""Database sessions that survive a connection lost after the request's work has committed.

The session is saved by middleware after the view, when a filing or a step has already committed. If the
database dropped the connection in between (a restart, a failover, a network cut), Django's store failed
(400 or 500) and the client was told nothing of work that was saved. Here the save reconnects once and
tries again.
"""

import logging

from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import InterfaceError, OperationalError, connections, router

logger = logging.getLogger(__name__)


class SessionStore(DatabaseSessionStore):
    def save(self, must_create=False):
        try:
            return super().save(must_create=must_create)
        except (UpdateError, OperationalError, InterfaceError) as error:
            lost = (OperationalError, InterfaceError)
            connection = connections[router.db_for_write(self.model)]
            # Only a lost connection is retried: an UpdateError of its own (no row updated) means the session
            # was deleted meanwhile, a logout elsewhere, which Django reports as it should; and a transaction
            # still open must fail as a whole.
            cause = error if isinstance(error, lost) else error.__context__
            if not isinstance(cause, lost) or connection.in_atomic_block:
                raise
            logger.warning("Session save lost its database connection (%s); reconnecting once", cause)
            connection.close()
            return super().save(must_create=must_create)
