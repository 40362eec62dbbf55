"""Citizens' pages: filing (bad input, double submit, uploads), following, steps, rating, the public lookup."""

import datetime
import uuid

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from doumen_portal.casework.services import transition
from doumen_portal.documents.models import Attachment, Document
from petitions.models import Petition
from tests.letters import render_pending_documents

from .conftest import FORM, scan

pytestmark = pytest.mark.django_db


def form_data(place, **overrides):
    return (
        FORM
        | {
            "town": place.pk,
            "people_count": 1,
            "authorization_scope": "full",
            "submission_token": str(uuid.uuid4()),
        }
        | overrides
    )


def test_citizen_files_a_petition_and_gets_a_receipt(client, citizen, town):
    client.force_login(citizen)
    assert client.get(reverse("petitions:new")).status_code == 200

    response = client.post(
        reverse("petitions:new"), form_data(town, authorize_agency="on", attachments=[scan(), scan("b.png")])
    )

    petition = Petition.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("petitions:receipt", args=[petition.tracking_number])
    page = client.get(response["Location"]).content.decode()
    assert (
        petition.tracking_number in page
        and f"{petition.due_date.year}年{petition.due_date.month}月{petition.due_date.day}日" in page
    )
    assert Attachment.objects.count() == 2
    assert petition.authorization.scope == "full"


def test_unverified_user_is_sent_to_verification_first(client, unverified):
    client.force_login(unverified)
    response = client.get(reverse("petitions:new"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:verify"))


def test_anonymous_user_is_sent_to_log_in(client):
    response = client.get(reverse("petitions:new"))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize(
    "overrides",
    [
        {"subject": ""},
        {"subject": "   "},
        {"facts": "事" * 5001},
        {"subject": "标" * 101},
        {"request": ""},
        {"respondent": ""},
        {"town": "999999"},
        {"involves_others": "on", "people_count": 1},
        {"people_count": -3},
        {"submission_token": "not-a-token"},
    ],
)
def test_bad_input_is_a_form_error_and_nothing_is_saved(client, citizen, town, overrides):
    client.force_login(citizen)
    with translation.override("en"):
        response = client.post(reverse("petitions:new"), form_data(town, **overrides))
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Petition.objects.exists()


def test_an_executable_renamed_pdf_is_refused(client, citizen, town):
    from tests.documents.samples import exe_bytes

    client.force_login(citizen)
    response = client.post(reverse("petitions:new"), form_data(town, attachments=[scan("证据.pdf", exe_bytes())]))

    assert response.status_code == 200
    assert "attachments" in response.context["form"].errors
    assert not Petition.objects.exists() and not Attachment.objects.exists()


def test_a_word_file_is_refused_for_petitions(client, citizen, town):
    from tests.documents.samples import ooxml_bytes

    client.force_login(citizen)
    response = client.post(reverse("petitions:new"), form_data(town, attachments=[scan("a.docx", ooxml_bytes("docx"))]))

    assert response.status_code == 200 and not Petition.objects.exists()


def test_an_oversized_attachment_is_refused(client, citizen, town, settings):
    settings.ATTACHMENT_MAX_BYTES = 20
    client.force_login(citizen)
    response = client.post(reverse("petitions:new"), form_data(town, attachments=[scan()]))
    assert response.status_code == 200 and not Petition.objects.exists()


def test_double_submit_of_the_same_form_gives_one_petition(client, citizen, town):
    client.force_login(citizen)
    data = form_data(town)

    first = client.post(reverse("petitions:new"), data)
    second = client.post(reverse("petitions:new"), data)

    assert Petition.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_a_village_of_another_town_is_refused(client, citizen, town):
    from doumen_portal.places.models import Village

    village = Village.objects.exclude(town=town).first()
    client.force_login(citizen)
    response = client.post(reverse("petitions:new"), form_data(town, village=village.pk))
    assert response.status_code == 200 and not Petition.objects.exists()


def test_the_petition_page_shows_timeline_deadline_and_letters(client, petition, citizen, supervisor):
    transition(petition, "accept", actor=supervisor, note="予以受理")
    client.force_login(citizen)

    page = client.get(petition.get_absolute_url()).content.decode()

    petition.refresh_from_db()
    assert (
        f"{petition.due_date.year}年{petition.due_date.month}月{petition.due_date.day}日" in page
    )  # Chinese date format
    assert "予以受理" in page
    letter = Document.objects.get()
    assert letter.number in page
    render_pending_documents()
    download = client.get(reverse("documents:document_download", args=[letter.public_id]))
    assert download.status_code == 200


def test_another_citizen_gets_404_on_every_page(client, petition, other_citizen):
    client.force_login(other_citizen)
    number = petition.tracking_number
    for name in ("detail", "receipt"):
        assert client.get(reverse(f"petitions:{name}", args=[number])).status_code == 404
    assert client.post(reverse("petitions:step", args=[number]), {"action": "withdraw"}).status_code == 404
    assert client.post(reverse("petitions:rate", args=[number]), {"satisfaction": "satisfied"}).status_code == 404
    petition.refresh_from_db()
    assert petition.status == Petition.Status.SUBMITTED


def test_a_forged_tracking_number_is_a_404(client, citizen):
    client.force_login(citizen)
    for number in ("XF2026-000001-ZZ", "'; DROP TABLE", "x" * 300):
        assert client.get(f"/petitions/{number}/").status_code == 404


def test_the_petitioner_asks_for_review_in_time_and_is_refused_after(client, petition, citizen, supervisor):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC), tick=False):
        transition(petition, "accept", actor=supervisor)
        transition(petition, "issue_opinion", actor=supervisor, note="处理意见")
    client.force_login(citizen)
    url = reverse("petitions:step", args=[petition.tracking_number])
    late = time_machine.travel(datetime.datetime(2026, 4, 2, 10, tzinfo=datetime.UTC), tick=False)
    with late, translation.override("en"):
        response = client.post(url, {"action": "request_review", "note": "不服"}, follow=True)
    assert "申请期限已过" in response.content.decode()
    petition.refresh_from_db()
    assert petition.status == Petition.Status.ANSWERED
    with time_machine.travel(datetime.datetime(2026, 3, 30, 10, tzinfo=datetime.UTC), tick=False):
        client.post(url, {"action": "request_review", "note": "不服"})
    petition.refresh_from_db()
    assert petition.status == Petition.Status.REVIEWING


def test_the_portal_step_form_refuses_staff_actions(client, petition, citizen):
    client.force_login(citizen)
    client.post(reverse("petitions:step", args=[petition.tracking_number]), {"action": "accept"})
    petition.refresh_from_db()
    assert petition.status == Petition.Status.SUBMITTED


def test_the_petitioner_withdraws_and_rates_after_the_opinion(client, petition, citizen, supervisor, file_petition):
    client.force_login(citizen)
    other = file_petition(citizen, facts="另一件事")
    client.post(reverse("petitions:step", args=[other.tracking_number]), {"action": "withdraw", "confirm": "1"})
    other.refresh_from_db()
    assert other.status == Petition.Status.WITHDRAWN

    transition(petition, "accept", actor=supervisor)
    transition(petition, "issue_opinion", actor=supervisor, note="处理意见")
    page = client.get(petition.get_absolute_url()).content.decode()
    assert 'name="satisfaction"' in page
    client.post(reverse("petitions:rate", args=[petition.tracking_number]), {"satisfaction": "satisfied"})
    petition.refresh_from_db()
    assert petition.satisfaction == "satisfied"
    assert 'name="satisfaction"' not in client.get(petition.get_absolute_url()).content.decode()


@pytest.mark.parametrize("rows", [1, 50])
def test_my_petitions_lists_own_only_in_a_fixed_number_of_queries(
    client, citizen, other_citizen, file_petition, django_assert_max_num_queries, rows
):
    mine = [file_petition(citizen, facts=f"事实{i}") for i in range(rows)]
    theirs = file_petition(other_citizen)
    client.force_login(citizen)

    with django_assert_max_num_queries(5):  # session, user, inbox count, page count (indexed), the page
        page = client.get(reverse("petitions:list")).content.decode()

    newest = mine[::-1][:20]
    assert all(p.tracking_number in page for p in newest)
    assert not any(p.tracking_number in page for p in mine[::-1][20:])
    assert theirs.tracking_number not in page


def test_my_petitions_are_paged_newest_first(client, citizen, file_petition):
    mine = [file_petition(citizen, facts=f"事实{i}") for i in range(21)]
    client.force_login(citizen)

    second = client.get(reverse("petitions:list"), {"page": 2}).content.decode()

    assert mine[0].tracking_number in second
    assert mine[1].tracking_number not in second


def test_the_petition_page_has_a_fixed_number_of_queries(
    client, petition, citizen, supervisor, django_assert_max_num_queries
):
    transition(petition, "accept", actor=supervisor)
    transition(petition, "issue_opinion", actor=supervisor, note="意见")
    client.force_login(citizen)
    # One of them reads the holidays staff entered around the end of the review window.
    with django_assert_max_num_queries(10):
        assert client.get(petition.get_absolute_url()).status_code == 200


def test_my_affairs_lists_petitions(client, petition, citizen):
    client.force_login(citizen)
    assert petition.tracking_number in client.get(reverse("my_affairs")).content.decode()


# ---------------------------------------------------------------- public lookup


def test_lookup_shows_status_and_dates_only(client, petition, citizen, supervisor):
    transition(petition, "accept", actor=supervisor, note="内部意见不应公开")

    response = client.post(
        reverse("petitions:lookup"),
        {"tracking_number": petition.tracking_number.lower(), "phone": citizen.phone_national},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert petition.get_status_display() in page
    for secret in (petition.subject, petition.facts, citizen.real_name, "内部意见不应公开", petition.respondent):
        assert secret not in page


def test_lookup_with_a_wrong_phone_shows_nothing(client, petition):
    response = client.post(
        reverse("petitions:lookup"), {"tracking_number": petition.tracking_number, "phone": "13911112222"}
    )
    assert response.status_code == 200
    assert response.context["petition"] is None


def test_repeated_wrong_guesses_are_rate_limited_per_tracking_number(client, petition, citizen):
    url = reverse("petitions:lookup")
    for _ in range(5):
        client.post(url, {"tracking_number": petition.tracking_number, "phone": "13911112222"})

    with translation.override("en"):
        response = client.post(
            url, {"tracking_number": petition.tracking_number, "phone": citizen.phone_national}, REMOTE_ADDR="10.0.0.9"
        )

    assert response.status_code == 429
    assert "错误次数过多" in response.content.decode()
    assert petition.subject not in response.content.decode()


def test_repeated_wrong_guesses_are_rate_limited_per_ip(client, petition, citizen):
    url = reverse("petitions:lookup")
    for index in range(10):
        client.post(url, {"tracking_number": f"XF2026-{index:06d}-AB", "phone": "13911112222"})

    response = client.post(url, {"tracking_number": petition.tracking_number, "phone": citizen.phone_national})

    assert response.status_code == 429


@pytest.mark.parametrize("rows", [1, 50])
def test_my_affairs_shows_the_newest_page_in_fixed_queries(
    client, citizen, file_petition, django_assert_max_num_queries, rows
):
    from doumen_portal.casework.registry import case_models

    mine = [file_petition(citizen, facts=f"事实{i}") for i in range(rows)]
    client.force_login(citizen)

    with django_assert_max_num_queries(3 + len(case_models)):  # session, user, inbox count, one per app
        page = client.get(reverse("my_affairs")).content.decode()

    assert all(p.tracking_number in page for p in mine[::-1][:20])
    assert not any(p.tracking_number in page for p in mine[::-1][20:])
    assert ('rel="next"' in page) == (rows > 20)


def test_my_affairs_older_pages_follow_on_without_gaps(client, citizen, file_petition):
    import re

    mine = [file_petition(citizen, facts=f"事实{i}") for i in range(45)]
    client.force_login(citizen)
    seen, url = [], reverse("my_affairs")
    while url:
        page = client.get(url).content.decode()
        seen += re.findall(r">(XF\d{4}-\d{6}-\w\w)</a>", page)
        older = re.search(r'href="(\?show=all&amp;before=[^"]+)" rel="next"', page)
        url = reverse("my_affairs") + older.group(1).replace("&amp;", "&") if older else None

    assert seen == [p.tracking_number for p in mine[::-1]]


def test_my_affairs_ignores_a_malformed_page_mark(client, citizen, petition):
    client.force_login(citizen)
    for before in ("yesterday", "2026-13-45T99:00:00", "2026-02-30T10:00:00"):
        response = client.get(reverse("my_affairs"), {"before": before})
        assert response.status_code == 200
        assert petition.tracking_number in response.content.decode()
