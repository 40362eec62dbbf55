"""Who may see and change what in the incubator (object-level rules; querysets in selectors follow them)."""

CHANGE_ORGANIZATION = "incubator.change_organization"
VIEW_APPLICATION = "incubator.view_incubationapplication"
REVIEW_APPLICATION = "incubator.review_incubationapplication"
VIEW_SERVICES = "incubator.view_servicerecord"


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def represents(user, organization) -> bool:
    """Whether ``user`` acts for ``organization``."""
    if not _active(user):
        return False
    return organization.representative_links.filter(user=user).exists()


def can_edit_organization(user, organization) -> bool:
    """Representatives and incubation base staff edit an organization's data; nobody else."""
    return _active(user) and (user.has_perm(CHANGE_ORGANIZATION) or represents(user, organization))


def can_see_application(user, application) -> bool:
    """Representatives of the applying organization and the staff of its unit see an application and its
    files (the same rule as the lists: ``selectors.applications_visible_to``)."""
    from doumen_portal.units.selectors import cases_visible_to

    return _active(user) and cases_visible_to(user, type(application)).filter(pk=application.pk).exists()


def can_see_services(user, organization) -> bool:
    """An organization sees its own service record; staff see every organization's."""
    return _active(user) and (user.has_perm(VIEW_SERVICES) or represents(user, organization))


VIEW_GRADING = "incubator.view_gradingapplication"
REVIEW_GRADING = "incubator.review_gradingapplication"


def can_see_grading(user, application) -> bool:
    """Representatives of the graded organization and the staff of its unit see a grading application and
    its files (the same rule as the lists: ``selectors.gradings_visible_to``)."""
    from doumen_portal.units.selectors import cases_visible_to

    return _active(user) and cases_visible_to(user, type(application)).filter(pk=application.pk).exists()
