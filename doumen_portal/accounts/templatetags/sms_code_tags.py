from django import template

from doumen_portal.accounts import sms_codes
from doumen_portal.accounts.phones import to_e164

register = template.Library()


@register.simple_tag(takes_context=True)
def sms_resend_wait(context, action: str = "", phone: str = "") -> int:
    """Seconds before another SMS code may be asked for, for the buttons' countdown.

    With ``action`` and the number typed, the number's own gap counts too (a refusal in another session).
    """
    number = (to_e164(phone or "") or "").lower()
    return sms_codes.seconds_until_resend(context.get("request"), action=action, phone=number)
