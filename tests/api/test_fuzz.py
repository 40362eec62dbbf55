"""Fuzzing the whole API with schemathesis, in-process over WSGI, as three principals: anonymous, a verified
citizen with data, and a staff supervisor whose session passed the second factor.

Every operation of the OpenAPI schema gets a bounded number of generated requests, valid and invalid. Checks:
no server error, every status code is one the schema documents, and every response body and content type
matches the schema. FUZZ_EXAMPLES (environment) raises the bound for a longer run.
"""

import os

import pytest
import schemathesis
from django.middleware.csrf import _get_new_csrf_string
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from doumen_portal.accounts.roles import Role
from tests.conftest import login_with_mfa
from tests.factories import StaffFactory, VerifiedCitizenFactory

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "5"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def api_schema(settings):
    """The schema the portal serves, with requests sent to the WSGI application in this process. As in
    Django's test client, the request signals keep the test's database connection (and transaction) open."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from doumen_portal.wsgi import application

    settings.ALLOWED_HOSTS = ["localhost"]
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def fuzz(api_schema, headers=None) -> None:
    """Every operation, with valid and with invalid input; all failures are reported together."""
    failures = []
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 40
    for operation in operations:
        modes = [GenerationMode.POSITIVE] + ([GenerationMode.NEGATIVE] if _can_be_invalid(operation) else [])
        for mode in modes:

            @FUZZ_SETTINGS
            @given(case=operation.as_strategy(mode))
            def run(case):
                case.call_and_validate(headers=headers, checks=CHECKS)

            try:
                run()
            except Exception as error:
                failures.append(f"{operation.label} ({mode.value}): {error}")
    assert not failures, "\n\n".join(failures)


def _can_be_invalid(operation) -> bool:
    """Whether invalid input can be generated: a body, a query parameter or a typed path parameter (a free
    text path parameter, such as a tracking number, has no invalid value)."""
    raw = operation.definition.raw
    parameters = raw.get("parameters", [])
    return "requestBody" in raw or any(
        p["in"] == "query" or (p["in"] == "path" and p.get("schema", {}).get("type") != "string") for p in parameters
    )


@pytest.fixture
def citizen_with_data(db):
    """A verified citizen who filed a petition, represents an incubated organization with a booking and a
    grading draft, and has a notification."""
    import datetime

    from django.utils import timezone

    from doumen_portal.notifications.models import Notification
    from doumen_portal.places.models import Town
    from incubator import services as incubator
    from incubator.models import IncubationApplication, Resource
    from incubator.services.grading import create_grading_application
    from petitions.services import submit_petition
    from tests.incubator.conftest import make_application, make_organization

    citizen = VerifiedCitizenFactory(username="fuzz_citizen")
    staff = StaffFactory(username="fuzz_base_staff", roles=[Role.INCUBATOR_STAFF])
    town = Town.objects.order_by("pk").first() or Town.objects.create(code="jingan", name="井岸镇")
    submit_petition(
        citizen, subject="路灯不亮", facts="小区路灯损坏三个月。", request_text="修复", respondent="镇政府", town=town
    )
    organization = make_organization(citizen, name="斗门区模糊测试协会", n=7)
    make_application(organization, citizen, staff, IncubationApplication.Status.ACCEPTED)
    room = Resource.objects.create(name="培训教室", kind=Resource.Kind.ROOM, capacity=30)
    start = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0) + datetime.timedelta(days=2)
    incubator.book_resource(
        resource=room,
        organization=organization,
        actor=citizen,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        purpose="培训",
    )
    create_grading_application(citizen, organization=organization)
    Notification.objects.create(recipient=citizen, kind="info", subject="测试", body="测试通知")
    return citizen


def _session_headers(user) -> dict:
    """Cookie and CSRF headers of a session that passed the second factor, as a browser would send them."""
    from django.test import Client

    client = login_with_mfa(Client(), user)
    token = _get_new_csrf_string()
    return {
        "Cookie": f"sessionid={client.cookies['sessionid'].value}; csrftoken={token}",
        "X-CSRFToken": token,
    }


FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.generate],  # no shrinking: the first failing request is reported as it was
    suppress_health_check=list(HealthCheck),
)


def test_fuzz_anonymous(api_schema):
    fuzz(api_schema)


@pytest.fixture
def citizen_session(citizen_with_data):
    return _session_headers(citizen_with_data)


@pytest.fixture
def supervisor_session(citizen_with_data):
    supervisor = StaffFactory(
        username="fuzz_supervisor", roles=[Role.PETITION_SUPERVISOR, Role.INCUBATOR_STAFF, Role.SYSTEM_ADMIN]
    )
    return _session_headers(supervisor)


def test_fuzz_as_a_citizen_with_data(api_schema, citizen_session):
    fuzz(api_schema, citizen_session)


def test_fuzz_as_a_staff_supervisor_with_the_second_factor(api_schema, supervisor_session):
    fuzz(api_schema, supervisor_session)
