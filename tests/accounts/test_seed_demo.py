"""The demo data is what the portal could have produced: every demo case starts with its filing and moves
only by the declared steps of its workflow, on the days the fake clock gave them; seeding twice adds nothing."""

import io

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from doumen_portal.audit.models import AuditEntry
from doumen_portal.casework.models import CaseHistory
from doumen_portal.casework.registry import case_models
from doumen_portal.documents.models import Document
from incubator.models import GradingApplication, IncubationApplication, Organization
from petitions.models import Petition

pytestmark = pytest.mark.django_db

FILING = {"submit", "create"}
# History rows that change who handles a case or whose it is, never its status.
NOT_STEPS = {"assign", "claim", "refer"}


def seed():
    call_command("seed_demo", allow_without_debug=True, stdout=io.StringIO())


def history_problems(model) -> list[str]:
    """What in the histories of ``model``'s cases the workflow could not have written."""
    content_type = ContentType.objects.get_for_model(model)
    rows_of = {}
    for row in CaseHistory.objects.filter(content_type=content_type).order_by("created_at", "id"):
        rows_of.setdefault(int(row.object_id), []).append(row)
    problems = []
    for case in model.objects.all():
        rows = rows_of.get(case.pk, [])
        if not rows or rows[0].action not in FILING or rows[0].from_status:
            problems.append(f"{case}: history does not start with its filing")
            continue
        status = rows[0].to_status
        for row in rows[1:]:
            if row.from_status != status:
                problems.append(f"{case}: {row.action} from {row.from_status}, but the case was {status}")
            if row.action in NOT_STEPS:
                if row.to_status != row.from_status:
                    problems.append(f"{case}: {row.action} changed the status")
            else:
                step = model.workflow.step(row.action)
                if step is None or row.from_status not in step.sources_set or row.to_status != step.target:
                    problems.append(f"{case}: {row.action} {row.from_status} → {row.to_status} is no declared step")
            status = row.to_status
        if status != case.status:
            problems.append(f"{case}: history ends at {status}, the case is {case.status}")
    return problems


def test_every_demo_case_has_a_history_of_declared_steps_from_its_filing():
    seed()

    assert Petition.objects.count() == 14
    assert IncubationApplication.objects.count() == 9
    assert GradingApplication.objects.count() == 6
    for model in case_models:
        assert history_problems(model) == [], model._meta.label


def test_last_years_petitions_were_handled_on_their_days_with_audit_entries_and_letters():
    seed()

    petition_type = ContentType.objects.get_for_model(Petition)
    archive = Petition.objects.filter(created_at__year=2025)
    assert archive.count() == 10
    for petition in archive:
        history = CaseHistory.objects.filter(content_type=petition_type, object_id=petition.pk)
        assert {row.created_at.year for row in history} == {2025}
        assert history.filter(action="assign").exists()
        audited = AuditEntry.objects.filter(content_type=petition_type, object_id=str(petition.pk))
        assert audited.count() >= history.count()
        letters = Document.objects.filter(owner_type=petition_type, owner_id=petition.pk)
        assert letters.filter(year=2025).count() == letters.count() == (2 if petition.opinion_issued_on else 1)
        assert petition.tracking_number.startswith("XF2025-") and not petition.tracking_number.endswith("-DM")
    # Accepted but never answered: settled by mediation and withdrawn by the petitioner.
    unanswered = archive.filter(registration=Petition.Registration.ACCEPTED, opinion_issued_on__isnull=True)
    assert set(unanswered.values_list("status", flat=True)) == {Petition.Status.WITHDRAWN}


def test_demo_grades_were_awarded_by_grading_applications():
    seed()

    graded = Organization.objects.exclude(grade="")
    assert set(graded.values_list("grade", flat=True)) == {"2A", "3A", "4A"}
    for organization in graded:
        decided = organization.grading_applications.get(status=GradingApplication.Status.DECIDED)
        assert (decided.awarded_grade, decided.valid_until) == (organization.grade, organization.grade_valid_until)


def test_seeding_twice_adds_nothing():
    seed()
    before = {model._meta.label: model.objects.count() for model in apps.get_models()}

    seed()

    after = {model._meta.label: model.objects.count() for model in apps.get_models()}
    assert {label: (before[label], after[label]) for label in before if before[label] != after[label]} == {}


def test_demo_units_memberships_and_roles_are_audited_as_admin_changes():
    from doumen_portal.units.demo import DEMO_MEMBERSHIPS, DEMO_UNITS

    seed()

    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert actions.count("units.unit.add") == len(DEMO_UNITS)
    assert actions.count("units.membership.add") == len(DEMO_MEMBERSHIPS)
    assert actions.count("security.role.grant") == 11  # every demo staff account but the superuser
