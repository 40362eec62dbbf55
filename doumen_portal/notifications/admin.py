from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from doumen_portal.accounts.phones import mask_phone
from doumen_portal.admin_mixins import LargeTableAdminMixin, ViewOnlyAdminMixin, recent_filter

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
        count = requeue_messages(queryset.values_list("pk", flat=True), actor=request.user)
        self.message_user(
            request,
            ngettext("%(count)d message queued for sending.", "%(count)d messages queued for sending.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    def has_requeue_permission(self, request):
        return request.user.has_perm("notifications.change_outboxmessage")


@admin.register(Notification)
class NotificationAdmin(LargeTableAdminMixin, ViewOnlyAdminMixin, admin.ModelAdmin):
    """Read-only view of the inboxes, for support questions: one person's inbox is found by their
    username or mobile number (millions of messages: no substring search, no list of distinct kinds)."""

    list_display = ("created_at", "recipient", "kind", "subject", "read_at")
    list_filter = (recent_filter("created_at"),)
    search_fields = ("recipient__username", "recipient__phone")
    search_help_text = _("The recipient's username or mobile number.")
    list_select_related = ("recipient",)
    readonly_fields = [field.name for field in Notification._meta.fields]

    def get_search_results(self, request, queryset, search_term):
        from django.contrib.auth import get_user_model
        from django.db.models import Q

        from doumen_portal.accounts.phones import to_e164

        term = search_term.strip()
        if not term:
            return queryset, False
        people = get_user_model().objects.filter(Q(username=term) | Q(phone=to_e164(term) or term))
        return queryset.filter(recipient__in=people), False
