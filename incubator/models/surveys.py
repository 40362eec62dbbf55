"""Surveys of the current state of social organizations (现状调研): questionnaires, who they went to, answers."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

SEND_SURVEY = "incubator.send_survey"


class Survey(models.Model):
    """A questionnaire the base sends to organizations (all, or those of some types and towns).

    Its recipients are fixed when it is sent; each answers once and may change its answers until
    ``closes_at``.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENT = "sent", _("Sent")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("introduction"), max_length=4000, blank=True)
    closes_at = models.DateTimeField(_("answers accepted until"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    target_types = models.JSONField(
        _("organization types"),
        default=list,
        blank=True,
        help_text=_("Send only to organizations of these types (empty: every type)."),
    )
    target_towns = models.ManyToManyField(
        "places.Town",
        blank=True,
        related_name="+",
        verbose_name=_("towns"),
        help_text=_("Send only to organizations in these towns (empty: every town)."),
    )
    recipients = models.ManyToManyField(
        "incubator.Organization", blank=True, related_name="surveys", verbose_name=_("sent to")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        permissions = [("send_survey", _("Can send surveys to organizations"))]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.SENT and timezone.now() < self.closes_at


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        NUMBER = "number", _("Number")
        TEXT = "text", _("Text")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions", verbose_name=_("survey"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.CharField(_("question"), max_length=300)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.SINGLE)
    choices = models.JSONField(
        _("choices"), default=list, blank=True, help_text=_('For choice questions: a list, e.g. ["Yes", "No"].')
    )
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        ordering = ["survey", "position", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return self.text

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.kind in (self.Kind.SINGLE, self.Kind.MULTIPLE):
            choices = self.choices if isinstance(self.choices, list) else []
            if len(choices) < 2 or not all(isinstance(c, str) and c.strip() for c in choices):
                raise ValidationError(
                    {"choices": _("A choice question needs at least two choices, as a list of texts.")}
                )
            if len(set(choices)) != len(choices):
                raise ValidationError({"choices": _("Each choice must be different.")})
        elif self.choices:
            raise ValidationError({"choices": _("Only choice questions have choices.")})

    @property
    def has_choices(self) -> bool:
        return self.kind in (self.Kind.SINGLE, self.Kind.MULTIPLE)


class SurveyResponse(models.Model):
    """One organization's answers to one survey."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses", verbose_name=_("survey"))
    organization = models.ForeignKey(
        "incubator.Organization",
        on_delete=models.CASCADE,
        related_name="survey_responses",
        verbose_name=_("organization"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("submitted by")
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["survey", "organization"]
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        constraints = [
            models.UniqueConstraint(fields=["survey", "organization"], name="incubator_one_response_per_org")
        ]

    def __str__(self):
        return f"{self.survey} · {self.organization}"

    def get_absolute_url(self):
        return reverse("incubator:survey_answer", args=[self.survey_id, self.organization_id])


class SurveyAnswer(models.Model):
    response = models.ForeignKey(
        SurveyResponse, on_delete=models.CASCADE, related_name="answers", verbose_name=_("response")
    )
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers", verbose_name=_("question"))
    # A string (single choice, text), a list of strings (multiple choice) or a number.
    value = models.JSONField(_("answer"), null=True, blank=True)

    class Meta:
        ordering = ["response", "question"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="incubator_one_answer_each")]

    def __str__(self):
        return f"{self.question}: {self.value}"
