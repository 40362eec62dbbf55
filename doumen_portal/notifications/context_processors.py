from functools import cache

from .selectors import unread_count


def inbox(request):
    """``inbox_unread`` for the header's inbox link: signed-in people only, counted at most once per
    request and only when a template actually shows it (templates call the function)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    @cache
    def inbox_unread() -> int:
        return unread_count(user)

    return {"inbox_unread": inbox_unread}
