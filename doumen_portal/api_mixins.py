"""API view pieces that answer from data read inside the transaction of the write.

Serialising after the service has committed reads the database again (permissions for the available steps,
related names). If the connection is lost in between (a database restart, a network cut), the write is saved
but the client gets a 500 and may file twice. Building the answer inside the same transaction means the
commit is the last thing that touches the database: after it, the client gets what was saved.
"""

from django.db import transaction
from rest_framework import mixins, status
from rest_framework.response import Response


class CreateInTransactionMixin(mixins.CreateModelMixin):
    """DRF's create, with ``perform_create`` and the serialised answer in one transaction."""

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            self.perform_create(serializer)
            data = serializer.data
        return Response(data, status=status.HTTP_201_CREATED, headers=self.get_success_headers(data))
