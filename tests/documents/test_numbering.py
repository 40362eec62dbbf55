import datetime
import hashlib
import re
import threading
import zoneinfo

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from doumen_portal.audit.models import AuditEntry
from doumen_portal.documents import services
from doumen_portal.documents.models import Document, DocumentSequence
from doumen_portal.documents.services import issue_document
from doumen_portal.documents.tasks import render_document
from doumen_portal.documents.types import get_document_type, register_document_type
from tests.conftest import require
from tests.factories import UserFactory

from .conftest import pdf_text, stored_files

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def issue(owner, **kwargs):
    return issue_document(
        doc_type="real_name_notice",
        template_name="documents/real_name_notice.html",
        context={"verified_at": datetime.date(2026, 5, 4), "paragraphs": ["经审查，您的实名认证申请已通过。"]},
        title="实名认证结果通知书",
        owner=owner,
        recipient=owner,
        **kwargs,
    )


@pytest.mark.django_db
@time_machine.travel(datetime.datetime(2026, 5, 4, 9, 0, tzinfo=SHANGHAI), tick=False)
def test_numbers_follow_the_type_format_and_increment(owner):
    first = issue(owner)
    second = issue(owner)

    assert (first.number, first.year, first.sequence) == ("斗实名〔2026〕1号", 2026, 1)
    assert (second.number, second.sequence) == ("斗实名〔2026〕2号", 2)
    assert DocumentSequence.objects.get(doc_type="real_name_notice", year=2026).last_number == 2


@pytest.mark.django_db
@time_machine.travel(datetime.datetime(2026, 5, 4, 9, 0, tzinfo=SHANGHAI), tick=False)
def test_issued_pdf_carries_its_number_and_is_stored_under_a_generated_name(
    owner, superuser, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document = issue(owner, issued_by=superuser)

    document.refresh_from_db()
    assert document.status == Document.Status.READY
    pdf = document.file.read()
    text = "".join(pdf_text(pdf).split())
    assert "斗实名〔2026〕1号" in text
    assert "经审查，您的实名认证申请已通过。" in text
    assert re.fullmatch(r"documents/2026/[0-9a-f]{32}\.pdf", document.file.name)
    assert document.sha256 == hashlib.sha256(pdf).hexdigest()
    assert (document.owner, document.recipient, document.issued_by) == (owner, owner, superuser)
    entry = AuditEntry.objects.get(action="documents.document.issue")
    assert (entry.actor, entry.object_id, entry.payload["number"]) == (superuser, str(document.pk), document.number)
    rendered = AuditEntry.objects.get(action="documents.document.render")
    assert rendered.payload == {"number": document.number, "sha256": document.sha256}


@pytest.mark.django_db
@time_machine.travel(datetime.datetime(2026, 5, 4, 9, 0, tzinfo=SHANGHAI), tick=False)
def test_the_number_is_taken_in_the_step_and_the_pdf_rendered_only_after_commit(
    owner, monkeypatch, django_capture_on_commit_callbacks
):
    rendered = []
    real_render = services.render_pdf
    monkeypatch.setattr(services, "render_pdf", lambda *args: rendered.append(args[0]) or real_render(*args))

    with django_capture_on_commit_callbacks() as callbacks:
        document = issue(owner)
        # Inside the issuing transaction: numbered, saved, being prepared, nothing rendered.
        assert document.number == "斗实名〔2026〕1号"
        assert (document.status, document.file.name, rendered) == (Document.Status.PREPARING, "", [])

    assert len(callbacks) == 1 and rendered == []
    callbacks[0]()  # the commit: the task renders from the saved context
    document.refresh_from_db()
    assert rendered == ["documents/real_name_notice.html"]
    assert document.is_ready and document.file.read().startswith(b"%PDF")


@pytest.mark.django_db
def test_numbers_restart_each_year_by_beijing_time(owner):
    with time_machine.travel(datetime.datetime(2026, 12, 31, 23, 50, tzinfo=SHANGHAI), tick=False):
        assert issue(owner).number == "斗实名〔2026〕1号"
        assert issue(owner).number == "斗实名〔2026〕2号"
    # 16:30 UTC on 31 December is already New Year in Doumen.
    with time_machine.travel(datetime.datetime(2026, 12, 31, 16, 30, tzinfo=datetime.UTC), tick=False):
        assert issue(owner).number == "斗实名〔2027〕1号"

    assert list(DocumentSequence.objects.order_by("year").values_list("year", "last_number")) == [(2026, 2), (2027, 1)]


@pytest.mark.django_db
@time_machine.travel(datetime.datetime(2026, 5, 4, 9, 0, tzinfo=SHANGHAI), tick=False)
def test_a_failed_render_keeps_the_number_stores_nothing_and_shows_staff_the_error(owner, monkeypatch, media_root):
    def broken(template_name, context):
        raise RuntimeError("renderer crashed")

    first = issue(owner)
    with monkeypatch.context() as patch:
        patch.setattr(services, "render_pdf", broken)
        assert render_document.apply(args=[first.pk]).get() == "failed"

    first.refresh_from_db()
    assert (first.number, first.status, first.file.name) == ("斗实名〔2026〕1号", Document.Status.FAILED, "")
    assert "renderer crashed" in first.render_error and first.render_attempts == 1
    assert stored_files(media_root) == []
    # No gap: the next document takes number 2; rendering the first again succeeds.
    assert issue(owner).number == "斗实名〔2026〕2号"
    assert services.render_document_again(first, actor=owner) is True
    render_document.apply(args=[first.pk])
    first.refresh_from_db()
    assert first.is_ready and first.render_error == ""


@pytest.mark.django_db
@time_machine.travel(datetime.datetime(2026, 5, 4, 9, 0, tzinfo=SHANGHAI), tick=False)
def test_a_transient_render_error_is_retried_until_the_letter_exists(owner, monkeypatch):
    real_render = services.render_pdf
    failures = iter([OSError("font cache busy"), OSError("storage timeout")])

    def flaky(template_name, context):
        failure = next(failures, None)
        if failure is not None:
            raise failure
        return real_render(template_name, context)

    document = issue(owner)
    monkeypatch.setattr(services, "render_pdf", flaky)
    # As on a worker, the retries are the task's own (run again at once here), not exceptions raised to the
    # caller: a raised one would leave Celery's task stack behind and later tests would seem to run in a task.
    monkeypatch.setitem(render_document.app.conf, "task_eager_propagates", False)
    assert render_document.apply(args=[document.pk]).get() == Document.Status.READY

    document.refresh_from_db()
    assert document.is_ready and document.render_attempts == 2
    assert render_document.apply(args=[document.pk]).get() == Document.Status.READY  # idempotent: nothing redone
    assert Document.objects.get(pk=document.pk).sha256 == document.sha256


@pytest.mark.django_db
@time_machine.travel(datetime.datetime(2026, 5, 4, 9, 0, tzinfo=SHANGHAI), tick=False)
def test_a_failure_in_the_issuing_transaction_leaves_no_document_and_no_gap(owner, monkeypatch, media_root):
    def broken_audit(*args, **kwargs):
        raise RuntimeError("audit log unavailable")

    with monkeypatch.context() as patch:
        patch.setattr(services, "log_action", broken_audit)
        with pytest.raises(RuntimeError):
            issue(owner)

    assert not Document.objects.exists()
    assert stored_files(media_root) == []
    assert issue(owner).sequence == 1


@pytest.mark.django_db
def test_an_unknown_type_or_an_unsaved_owner_is_a_programming_error(owner):
    with pytest.raises(ImproperlyConfigured):
        issue_document(doc_type="nope", template_name="x.html", context={}, title="x", owner=owner)
    with pytest.raises(ValueError):
        issue_document(
            doc_type="real_name_notice", template_name="x.html", context={}, title="x", owner=UserFactory.build()
        )
    assert not DocumentSequence.objects.exists()


def test_types_must_number_with_year_and_number_and_never_share_a_format():
    sample = get_document_type("real_name_notice")

    assert sample.format_number(year=2026, number=3) == "斗实名〔2026〕3号"
    # Registering the same definition again (ready() running twice) is harmless.
    again = register_document_type("real_name_notice", label=sample.label, number_format=sample.number_format)
    assert again is sample
    with pytest.raises(ImproperlyConfigured, match="share"):
        register_document_type("copycat", label="x", number_format="斗实名〔{year}〕{number}号")
    with pytest.raises(ImproperlyConfigured, match="year"):
        register_document_type("no_year", label="x", number_format="斗无〔2026〕{number}号")
    with pytest.raises(ImproperlyConfigured, match="already registered"):
        register_document_type("real_name_notice", label="x", number_format="斗另〔{year}〕{number}号")


@pytest.mark.django_db(transaction=True)
@time_machine.travel(datetime.datetime(2026, 5, 4, 9, 0, tzinfo=SHANGHAI), tick=False)
def test_concurrent_issuance_numbers_one_to_n_without_gaps_or_duplicates(monkeypatch):
    require(connection.vendor == "postgresql", "PostgreSQL")
    # Numbering is what races here. Rendering after commit is left out: eager tasks in eight threads at once
    # race on Celery's process-wide "joining a result would block" flag and can leave it set for later tests.
    monkeypatch.setattr(render_document, "delay", lambda document_id: None)
    # Earlier tests may have cached content types created inside their rolled-back transactions; here the
    # rows must really exist, as the threads commit.
    ContentType.objects.clear_cache()
    owner = UserFactory(username="concurrent-owner")
    threads_count = 8
    barrier = threading.Barrier(threads_count)
    results, errors = [], []

    def worker():
        try:
            barrier.wait(timeout=30)
            results.append(issue(owner).number)
        except Exception as error:  # reported below; a thread must not die silently
            errors.append(error)
        finally:
            connection.close()

    # The sequence row does not exist yet: the first numbers also race to create it.
    threads = [threading.Thread(target=worker) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert sorted(results) == sorted(f"斗实名〔2026〕{n}号" for n in range(1, threads_count + 1))
    assert sorted(Document.objects.values_list("sequence", flat=True)) == list(range(1, threads_count + 1))
    assert DocumentSequence.objects.get(doc_type="real_name_notice", year=2026).last_number == threads_count
