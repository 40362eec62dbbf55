"""The inbox page: a person's notifications, newest first, with read marks. Works without JavaScript."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from .selectors import notifications_for
from .services import mark_all_notifications_read, mark_notification_read

PAGE_SIZE = 20


def _next_url(request) -> str:
    """Where to go after a read mark: the page the form came from, if it is ours."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("notifications:inbox")


@login_required
def inbox(request):
    page = Paginator(notifications_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page})


@login_required
@require_POST
def mark_read(request, pk: int):
    # Scoped fetch: another person's notification does not exist as far as this person can tell.
    notification = get_object_or_404(notifications_for(request.user), pk=pk)
    mark_notification_read(notification, actor=request.user)
    return redirect(_next_url(request))


@login_required
@require_POST
def mark_all_read(request):
    count = mark_all_notifications_read(request.user)
    if count:
        messages.success(
            request,
            ngettext("%(count)d notification marked as read.", "%(count)d notifications marked as read.", count)
            % {"count": count},
        )
    return redirect(_next_url(request))
