from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from doumen_portal.accounts.phones import mask_phone
from doumen_portal.admin_mixins import ViewOnlyAdminMixin

from .models import Notification, OutboxMessage
from .services import requeue_messages


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: staff watch deliveries and send failed ones again; nobody edits a message."""

    list_display = ("created_at", "channel", "recipient", "address", "status", "attempts", "sent_at")
    list_filter = ("status", "channel")
    search_fields = ("to_address", "subject", "recipient__username")
    date_hierarchy = "created_at"
    list_select_related = ("recipient",)
    readonly_fields = [field.name for field in OutboxMessage._meta.fields]
    actions = ["requeue"]

    @admin.display(description=_("address"), ordering="to_address")
    def address(self, message):
        # Lists show mobile numbers masked; the detail page shows the full address.
        if message.channel == OutboxMessage.Channel.SMS:
            return mask_phone(message.to_address)
        return message.to_address

    @admin.action(description=_("Re-queue selected messages"), permissions=["requeue"])
    def requeue(self, request, queryset):
        count = requeue_messages(queryset.values_list("pk", flat=True), by=request.user)
        self.message_user(
            request,
            ngettext("%(count)d message queued for sending.", "%(count)d messages queued for sending.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    def has_requeue_permission(self, request):
        return request.user.has_perm("notifications.change_outboxmessage")


@admin.register(Notification)
class NotificationAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    """Read-only view of the inboxes, for support questions."""

    list_display = ("created_at", "recipient", "kind", "subject", "read_at")
    list_filter = ("kind",)
    search_fields = ("subject", "recipient__username")
    date_hierarchy = "created_at"
    list_select_related = ("recipient",)
    readonly_fields = [field.name for field in Notification._meta.fields]
