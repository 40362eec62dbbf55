from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from doumen_portal.admin_mixins import ViewOnlyAdminMixin

from .models import Attachment, Document, DocumentSequence
from .services import render_document_again


class DownloadLinkMixin:
    """Files open through the permission-checked download view: MEDIA_URL serves nothing."""

    @admin.display(description=_("file"))
    def download_link(self, obj):
        if not obj.pk:
            return "-"
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("Download"))


@admin.register(Document)
class DocumentAdmin(ViewOnlyAdminMixin, DownloadLinkMixin, admin.ModelAdmin):
    """Read-only: documents are issued by ``issue_document`` alone, numbered and hashed, and never edited.

    A document whose PDF is still being rendered shows no download link; one whose rendering failed shows the
    error, and staff may queue it again.
    """

    list_display = ("number", "title", "type_label", "status", "recipient", "issued_by", "issued_at")
    list_filter = ("status", "doc_type", "year")
    actions = ["render_again"]
    search_fields = ("number", "title")
    date_hierarchy = "issued_at"
    list_select_related = ("recipient", "issued_by")
    fields = (
        "number",
        "title",
        "doc_type",
        "year",
        "sequence",
        "public_id",
        "owner_type",
        "owner_id",
        "recipient",
        "issued_by",
        "issued_at",
        "status",
        "download_link",
        "sha256",
        "render_attempts",
        "render_error",
    )
    readonly_fields = fields

    @admin.action(description=_("Render the selected documents again"), permissions=["view"])
    def render_again(self, request, queryset):
        queued = sum(render_document_again(document, actor=request.user) for document in queryset)
        self.message_user(
            request, _("%(count)d document(s) queued for rendering.") % {"count": queued}, messages.SUCCESS
        )

    @admin.display(description=_("file"))
    def download_link(self, obj):
        if not obj.pk:
            return "-"
        if not obj.is_ready:
            return obj.get_status_display()
        return super().download_link(obj)

    @admin.display(description=_("document type"), ordering="doc_type")
    def type_label(self, obj):
        return obj.type_label


@admin.register(Attachment)
class AttachmentAdmin(ViewOnlyAdminMixin, DownloadLinkMixin, admin.ModelAdmin):
    """Uploads come in through ``store_upload`` only (content checks); here they are looked at or deleted."""

    list_display = ("original_name", "mime_type", "size", "uploaded_by", "owner_type", "owner_id", "created_at")
    list_filter = ("mime_type", "owner_type")
    search_fields = ("original_name", "sha256")
    date_hierarchy = "created_at"
    list_select_related = ("uploaded_by", "owner_type")
    fields = (
        "original_name",
        "public_id",
        "mime_type",
        "size",
        "owner_type",
        "owner_id",
        "uploaded_by",
        "created_at",
        "download_link",
        "sha256",
    )
    readonly_fields = fields


@admin.register(DocumentSequence)
class DocumentSequenceAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    """Shown for reference; changing a counter by hand would create gaps or duplicates."""

    deletable = False

    list_display = ("doc_type", "year", "last_number")
    list_filter = ("doc_type", "year")
