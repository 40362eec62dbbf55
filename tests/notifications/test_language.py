"""Each person reads a notification in their own language, whatever language the sender's request uses.

The Chinese texts come from locale/zh_Hans (msgids in templates/notifications/welcome/)."""

import pytest
from django.core import mail
from django.utils import translation

from doumen_portal.notifications.models import OutboxMessage
from doumen_portal.notifications.services import notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def notify_and_send(recipient, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return notify(recipient, kind="welcome", context={}, url="https://doumen.example.cn/my-affairs/")


def test_an_english_speaker_gets_english_text_from_a_chinese_request(django_capture_on_commit_callbacks, sms_outbox):
    recipient = UserFactory(language="en", real_name="Li Ming", email="liming@example.cn", phone="+8613800138000")
    translation.activate("zh-hans")

    notification = notify_and_send(recipient, django_capture_on_commit_callbacks)

    assert notification.subject == "Welcome to the Doumen social-governance portal"
    assert notification.body == (
        "Hello Li Ming,\n\n"
        "Your account on the Doumen social-governance portal is ready. Everything you file with the portal's "
        "services is listed under “My affairs”, and news about it arrives in your inbox.\n\n"
        "https://doumen.example.cn/my-affairs/"
    )
    [email] = mail.outbox
    assert (email.subject, email.body) == (notification.subject, notification.body)
    assert [sms["body"] for sms in sms_outbox()] == ["[Doumen portal] Li Ming, welcome! Your account is ready."]


def test_a_chinese_speaker_gets_chinese_text_from_an_english_request(django_capture_on_commit_callbacks, sms_outbox):
    recipient = UserFactory(language="zh-hans", real_name="李明", email="liming@example.cn", phone="+8613800138000")
    translation.activate("en")

    notification = notify_and_send(recipient, django_capture_on_commit_callbacks)

    assert notification.subject == "欢迎使用斗门区社会治理综合服务平台"
    assert notification.body.startswith("李明，您好：\n\n您在斗门区社会治理综合服务平台的账户已开通。")
    [email] = mail.outbox
    assert email.subject == "欢迎使用斗门区社会治理综合服务平台"
    assert [sms["body"] for sms in sms_outbox()] == ["【斗门社会治理】李明，欢迎您！您的账户已开通。"]
    assert translation.get_language() == "en"


def test_each_recipient_of_the_same_event_reads_their_own_language():
    english = UserFactory(language="en", phone=None)
    chinese = UserFactory(language="zh-hans", phone=None)

    subjects = {user.language: notify(user, kind="welcome", context={}).subject for user in (english, chinese)}

    assert subjects == {
        "en": "Welcome to the Doumen social-governance portal",
        "zh-hans": "欢迎使用斗门区社会治理综合服务平台",
    }
    assert not OutboxMessage.objects.exists()
