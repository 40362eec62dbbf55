"""Demonstration data for the petition agency station (called by ``manage.py seed_demo``; idempotent).

Last year (2025) is filed and handled through the services on a fake clock (``casework.democlock``), each
step on its day, with the figures of the source article: 8 petition cases accepted, 3 handling-opinion
letters, 12 legal consultations for units and 27 individual consultations (person-times). Of the accepted
petitions without an opinion letter, each was settled by mediation and withdrawn by the petitioner. A few
current petitions of the demo citizen (user "citizen") show the workflow's states.
"""

import datetime
import uuid

from django.contrib.auth import get_user_model
from django.db import transaction

from doumen_portal.casework import democlock
from doumen_portal.places.models import Town

from .models import Consultation, Petition, WorkLogEntry, appeal_window_end

DEMO_YEAR = 2025
# A fixed namespace makes the seed's submission tokens the same on every run: that is what makes it idempotent.
NAMESPACE = uuid.UUID("6f1d2f9e-64b4-4a55-9c55-2f1f3b8c5e10")

ARCHIVE = [
    # (subject, month of receipt, registration, opinion issued month or None, satisfaction)
    ("原县水运公司改制职工安置问题", 1, "accepted", 2, "satisfied"),
    ("原县建筑公司改制历史遗留问题", 2, "accepted", 3, "basically"),
    ("白蕉镇旧村拆迁补偿问题", 3, "accepted", 4, "satisfied"),
    ("井岸镇宅基地确权纠纷", 4, "accepted", None, ""),
    ("乾务镇土地征收补偿款发放", 5, "accepted", None, ""),
    ("斗门镇农村集体经济分红", 6, "accepted", None, ""),
    ("莲洲镇河道整治占地补偿", 8, "accepted", None, ""),
    ("白藤街道小区物业维修基金", 10, "accepted", None, ""),
    ("劳动报酬拖欠（建议劳动仲裁）", 7, "not_accepted", None, ""),
    ("供水价格调整意见（转区水务局）", 9, "forwarded", None, ""),
]
UNIT_CONSULTATIONS = [
    ("区住房和城乡建设局", "government", "征收补偿程序"),
    ("井岸镇人民政府", "government", "信访事项受理范围"),
    ("白蕉镇人民政府", "government", "集体土地征收听证"),
    ("区人力资源和社会保障局", "government", "改制企业职工社保接续"),
    ("珠海某建材有限公司", "enterprise", "劳动合同解除"),
    ("斗门某水产养殖公司", "enterprise", "承包合同纠纷"),
    ("斗门某物业管理公司", "enterprise", "物业维修基金使用"),
    ("珠海某电子厂", "enterprise", "工伤认定程序"),
    ("区人民医院", "institution", "医疗纠纷调解"),
    ("斗门区第一中学", "institution", "教职工聘用合同"),
    ("区供水事务中心", "institution", "供水价格听证"),
    ("区档案馆", "institution", "改制企业档案查阅"),
]
# 27 person-times in 20 sittings
INDIVIDUAL_CONSULTATIONS = [  # (month, person-times): 27 in 20 sittings
    (1, 2), (2, 1), (3, 3), (4, 1), (5, 2), (6, 1), (7, 1), (8, 2), (9, 1), (10, 1), (11, 2), (12, 1),
    (3, 1), (5, 2), (6, 1), (8, 1), (9, 1), (10, 1), (11, 1), (12, 1),
]  # fmt: skip


def _date(month: int, day: int = 10) -> datetime.date:
    return datetime.date(DEMO_YEAR, month, day)


@transaction.atomic
def seed_petitions(*, citizen=None, agent=None, supervisor=None) -> dict:
    """Load the 2025 archive and the demo citizen's current petitions; running it again changes nothing."""
    User = get_user_model()
    citizen = citizen or User.objects.filter(username="citizen").first()
    agent = agent or User.objects.filter(username="agent").first()
    supervisor = supervisor or User.objects.filter(username="supervisor").first()
    if citizen is None:
        return {}
    town = Town.objects.order_by("sort_order", "pk").first()
    _seed_archive(citizen, town, agent=agent, supervisor=supervisor)
    _seed_consultations(agent or supervisor)
    _seed_current(citizen, town, agent=agent, supervisor=supervisor)
    from .selectors import petition_statistics

    return petition_statistics(DEMO_YEAR)


def _seed_archive(citizen, town, *, agent, supervisor) -> None:
    """File last year's petitions through the services on a fake clock, each step on its day: the agent
    registers and answers them, the supervisor assigns them, the petitioner rates, closes or withdraws."""
    if agent is None or supervisor is None or not citizen.is_real_name_verified:
        return
    # Filed in the order they were received, so their reference numbers follow their dates.
    archive = sorted(enumerate(ARCHIVE, start=1), key=lambda item: item[1][1])
    for index, (subject, month, registration, opinion_month, satisfaction) in archive:
        token = uuid.uuid5(NAMESPACE, f"archive-{index}")
        if Petition.objects.filter(applicant=citizen, submission_token=token).exists():
            continue
        _file_archived(
            citizen,
            town,
            agent=agent,
            supervisor=supervisor,
            token=token,
            subject=subject,
            received=_date(month, 3),
            registration=registration,
            opinion_month=opinion_month,
            satisfaction=satisfaction,
        )


def _file_archived(
    citizen, town, *, agent, supervisor, token, subject, received, registration, opinion_month, satisfaction
) -> None:
    from doumen_portal.casework.services import transition

    from .services import add_agent, rate_petition, record_work, submit_petition

    day = datetime.timedelta(days=1)
    with democlock.on(received):
        petition = submit_petition(
            citizen,
            subject=subject,
            facts=f"{subject}，多次向有关部门反映未得到解决。",
            request_text="请求依法协调处理。",
            respondent="斗门区有关部门",
            town=town,
            authorize_agency=True,
            submission_token=token,
        )
    with democlock.on(received + 2 * day, 10):
        add_agent(petition, agent=agent, actor=supervisor)
    registered = received + 7 * day
    with democlock.on(registered, 15):
        if registration == "not_accepted":
            transition(
                petition,
                "not_accept",
                actor=agent,
                note="属劳动争议，应通过劳动仲裁解决。",
                data={"legal_channel": Petition.LegalChannel.LABOUR_ARBITRATION},
            )
            return
        if registration == "forwarded":
            transition(
                petition, "forward", actor=agent, note="属区水务局职责范围。", data={"forwarded_to": "斗门区水务局"}
            )
            return
        transition(petition, "accept", actor=agent, note="属本站代理范围，予以受理。")
    with democlock.on(registered + 14 * day, 10):
        record_work(petition, actor=agent, kind=WorkLogEntry.Kind.VISIT, summary="走访有关部门，了解处理情况。")
    if opinion_month is None:
        # Settled by mediation: the petitioner withdrew the petition, so no opinion letter was needed.
        with democlock.on(registered + 35 * day, 10):
            record_work(petition, actor=agent, kind=WorkLogEntry.Kind.MEDIATION, summary="组织双方调解，达成和解协议。")
        with democlock.on(registered + 38 * day, 16):
            transition(petition, "withdraw", actor=citizen, note="经调解已达成和解，申请撤回。")
        return
    opinion_on = _date(opinion_month, 20)
    with democlock.on(opinion_on, 15):
        transition(petition, "issue_opinion", actor=agent, note="经调查核实，已协调有关部门依法处理。")
    with democlock.on(opinion_on + 5 * day, 11):
        rate_petition(petition, actor=citizen, satisfaction=satisfaction)
        if satisfaction == Petition.Satisfaction.SATISFIED:
            transition(petition, "accept_outcome", actor=citizen)
            return
    # Not asked for a review: the station closes the case once the appeal period is over.
    with democlock.on(appeal_window_end(opinion_on) + 2 * day):
        transition(petition, "close", actor=agent)


def _seed_consultations(actor) -> None:
    """Last year's legal consultations, each recorded on its day."""
    from .services import record_consultation

    if actor is None or Consultation.objects.filter(consulted_on__year=DEMO_YEAR).exists():
        return
    for month, (name, unit_type, topic) in enumerate(UNIT_CONSULTATIONS, start=1):
        with democlock.on(_date(month, 15), 16):
            record_consultation(
                actor=actor,
                kind=Consultation.Kind.UNIT,
                unit_name=name,
                unit_type=unit_type,
                topic=topic,
                answer_summary="已就相关法律规定和办理程序作出解答。",
            )
    for month, people in INDIVIDUAL_CONSULTATIONS:
        with democlock.on(_date(month, 18), 16):
            record_consultation(
                actor=actor,
                kind=Consultation.Kind.INDIVIDUAL,
                person_count=people,
                topic="个人法律咨询",
                answer_summary="已告知可通过诉讼、仲裁等法定途径解决。",
            )


def _seed_current(citizen, town, *, agent, supervisor) -> None:
    """This year's petitions of the demo citizen, taken through the real services."""
    from doumen_portal.casework.services import transition

    from .services import add_agent, submit_petition

    if not citizen.is_real_name_verified:
        return
    demo = [
        ("小区路灯长期不亮", "小区内多盏路灯损坏已超过三个月，多次向物业反映未果。", None),
        ("村道修缮进度缓慢", "村主干道路面破损，修缮工程停工半年。", "accept"),
        ("企业拖欠货款协调", "某企业拖欠本人货款，协商无果。", "not_accept"),
        ("农田灌溉渠堵塞", "村里灌溉渠堵塞，影响春耕。", "issue_opinion"),
    ]
    for index, (subject, facts, step) in enumerate(demo, start=1):
        token = uuid.uuid5(NAMESPACE, f"current-{index}")
        if Petition.objects.filter(applicant=citizen, submission_token=token).exists():
            continue
        petition = submit_petition(
            citizen,
            subject=subject,
            facts=facts,
            request_text="请求协调有关部门尽快处理。",
            respondent="有关镇人民政府",
            town=town,
            authorize_agency=True,
            submission_token=token,
        )
        staff = supervisor or agent
        if step is None or staff is None:
            continue
        if agent is not None:
            add_agent(petition, agent=agent, actor=supervisor or agent)
        if step in ("accept", "issue_opinion"):
            transition(petition, "accept", actor=staff, note="属本站代理范围，予以受理。")
        if step == "issue_opinion":
            transition(petition, "issue_opinion", actor=staff, note="经协调，镇政府已安排于两周内疏通灌溉渠。")
        if step == "not_accept":
            transition(
                petition,
                "not_accept",
                actor=staff,
                note="属合同纠纷。",
                data={"legal_channel": Petition.LegalChannel.LITIGATION},
            )
