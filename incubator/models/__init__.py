"""Social organizations, their incubation, services delivered to them and shared resources."""

from .grading import (
    GradeBand,
    GradeExpiryReminder,
    GradingApplication,
    Indicator,
    IndicatorGroup,
    IndicatorScore,
)
from .incubation import GraduationReview, IncubationApplication, Need
from .organizations import AnnualInspection, Grade, Organization, OrganizationType, Penalty, Representative
from .registration import RegistrationClaim
from .support import Resource, ResourceBooking, ServiceKind, ServiceRecord, TrainingSession
from .surveys import Question, Survey, SurveyAnswer, SurveyResponse

__all__ = [
    "GradeBand",
    "GradeExpiryReminder",
    "GradingApplication",
    "Indicator",
    "IndicatorGroup",
    "IndicatorScore",
    "Question",
    "Survey",
    "SurveyAnswer",
    "SurveyResponse",
    "AnnualInspection",
    "Grade",
    "GraduationReview",
    "IncubationApplication",
    "Need",
    "Organization",
    "OrganizationType",
    "Penalty",
    "RegistrationClaim",
    "Representative",
    "Resource",
    "ResourceBooking",
    "ServiceKind",
    "ServiceRecord",
    "TrainingSession",
]
