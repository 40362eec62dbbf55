"""Every admin of a model with workflow-owned fields keeps them read-only, for superusers too."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from doumen_portal.admin_mixins import workflow_owned_fields
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def test_every_admin_keeps_the_workflow_owned_fields_read_only_for_a_superuser():
    request = RequestFactory().get("/")
    request.user = StaffFactory(username="root", is_superuser=True)
    checked = []
    for model, model_admin in admin.site._registry.items():
        owned = workflow_owned_fields(model)
        if not owned:
            continue
        obj = model._default_manager.first()  # None: the add view's fields
        readonly = set(model_admin.get_readonly_fields(request, obj))
        assert set(owned) <= readonly, (model, set(owned) - readonly)
        checked.append(model._meta.label)

    assert {
        "accounts.User",
        "accounts.IdentityCorrectionRequest",
        "incubator.Organization",
        "incubator.IncubationApplication",
        "incubator.GradingApplication",
        "petitions.Petition",
    } <= set(checked)
