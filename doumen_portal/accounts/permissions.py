def can_see_correction(user, correction) -> bool:
    """The applicant and identity reviewers see a correction request and its files."""
    from .models import IdentityCorrectionRequest

    return correction.applicant_id == user.pk or user.has_perm(IdentityCorrectionRequest.REVIEW)
