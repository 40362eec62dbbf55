"""Letters in tests: their PDFs are rendered after the issuing step commits (documents.tasks.render_document).

Tests run inside a transaction that never commits, so they render the waiting letters as the worker would.
"""

from doumen_portal.documents.models import Document
from doumen_portal.documents.tasks import render_document


def render_pending_documents() -> list[Document]:
    """Run the render task for every document being prepared, as the worker does after commit."""
    pending = list(Document.objects.filter(status=Document.Status.PREPARING).values_list("pk", flat=True))
    for pk in pending:
        render_document.apply(args=[pk])
    return list(Document.objects.filter(pk__in=pending))
