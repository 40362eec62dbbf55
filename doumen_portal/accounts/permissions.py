def can_see_correction(user, correction) -> bool:
    """The applicant and the identity reviewers of its unit see a correction request and its files."""
    from .selectors import corrections_visible_to

    return correction.applicant_id == user.pk or corrections_visible_to(user).filter(pk=correction.pk).exists()


CHANGE_USER = "accounts.change_user"  # the system administrator: people
ASSIGN_ROLE = "accounts.assign_role"  # the security administrator: their roles


def may_see_account(actor, account) -> bool:
    """Superusers (break-glass accounts) and what belongs to them are for superusers' eyes only."""
    return actor.is_superuser or not account.is_superuser
