"""Social organizations, their incubation, services delivered to them and shared resources."""

from .incubation import GraduationReview, IncubationApplication, Need
from .organizations import AnnualInspection, Grade, Organization, OrganizationType, Penalty, Representative
from .support import Resource, ResourceBooking, ServiceKind, ServiceRecord, TrainingSession

__all__ = [
    "AnnualInspection",
    "Grade",
    "GraduationReview",
    "IncubationApplication",
    "Need",
    "Organization",
    "OrganizationType",
    "Penalty",
    "Representative",
    "Resource",
    "ResourceBooking",
    "ServiceKind",
    "ServiceRecord",
    "TrainingSession",
]
