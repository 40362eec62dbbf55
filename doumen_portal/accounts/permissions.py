def can_see_correction(user, correction) -> bool:
    """The applicant and identity reviewers see a correction request and its files."""
    from .models import IdentityCorrectionRequest

    return correction.applicant_id == user.pk or user.has_perm(IdentityCorrectionRequest.REVIEW)


CHANGE_USER = "accounts.change_user"  # the system administrator: people
ASSIGN_ROLE = "accounts.assign_role"  # the security administrator: their roles


def may_see_account(actor, account) -> bool:
    """Superusers (break-glass accounts) and what belongs to them are for superusers' eyes only."""
    return actor.is_superuser or not account.is_superuser
