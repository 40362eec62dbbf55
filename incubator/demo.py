"""Demo data of the incubation base for ``manage.py seed_demo``: organizations of every type across the
towns, applications in every state, grades, services, rooms and bookings. Everything is made through the
services on a fake clock (``casework.democlock``): organizations are entered by their representatives and
confirmed by staff on the day they were registered, grades are awarded by grading applications scored,
published and decided on their days, applications take their steps a few days apart.

Idempotent: organizations are found by name; an organization that already has an application is left
as it is.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from doumen_portal.casework import democlock
from doumen_portal.casework.services import transition
from doumen_portal.places.models import Town

from . import services
from .creditcode import make_credit_code
from .models import (
    AnnualInspection,
    GraduationReview,
    IncubationApplication,
    Organization,
    OrganizationType,
    Penalty,
    Resource,
    ResourceBooking,
    ServiceKind,
    ServiceRecord,
)
from .models.grading import VALIDITY_MONTHS
from .models.incubation import add_months

S = IncubationApplication.Status
T = OrganizationType

# name, type, town code, credit-code body (None while being founded), legal representative, staff, grade,
# purpose, the application's final state (None: no application)
ORGANIZATIONS = [
    (
        "珠海市小微企业联合会斗门分会",
        T.CHAMBER_OF_COMMERCE,
        "jingan",
        "51440403MJL000001",
        "黄志强",
        6,
        "",
        "团结全区小微企业抱团互助：免费法律服务、银行授信融资、培训与供需对接。",
        S.INCUBATING,
    ),
    (
        "珠海新青志愿者协会",
        T.CHARITY,
        "baijiao",
        "51440403MJL000002",
        "李嘉欣",
        4,
        "3A",
        "组织青年志愿者开展扶老助残、社区服务和应急志愿服务。",
        S.GRADUATED,
    ),
    (
        "斗门区科技创新促进会",
        T.SCI_TECH,
        "doumen",
        "51440403MJL000003",
        "陈卓然",
        3,
        "",
        "推动中小企业技术交流与科技成果转化，开展科普活动。",
        S.ACCEPTED,
    ),
    (
        "斗门区白蕉海鲈养殖行业协会",
        T.INDUSTRY_ASSOCIATION,
        "baijiao",
        "51440403MJL000004",
        "梁海生",
        5,
        "4A",
        "制定海鲈养殖行业规范，组织技术培训与品牌推广。",
        S.SUBMITTED,
    ),
    (
        "乾务镇长者关爱服务中心",
        T.COMMUNITY_SERVICE,
        "qianwu",
        None,
        "赵美玲",
        0,
        "",
        "筹建中：为乾务镇独居、空巢长者提供探访、助餐和陪伴服务。",
        S.DRAFT,
    ),
    (
        "莲洲镇乡村社区发展服务社",
        T.COMMUNITY_SERVICE,
        "lianzhou",
        "52440403MJL000006",
        "周国华",
        2,
        "",
        "在莲洲镇各村开展儿童课后托管、村民议事和乡风文明活动。",
        S.MORE_INFO,
    ),
    (
        "白藤街道邻里互助协会",
        T.OTHER,
        "baiteng",
        "51440403MJL000007",
        "吴丽娟",
        1,
        "",
        "组织社区居民邻里互助、闲置物品交换和社区议事。",
        S.UNDER_REVIEW,
    ),
    (
        "斗门区青年创业商会",
        T.CHAMBER_OF_COMMERCE,
        "jingan",
        "51440403MJL000008",
        "郑宇航",
        2,
        "",
        "为青年创业者提供交流平台与创业辅导。",
        S.REJECTED,
    ),
    (
        "斗门区阳光助学公益服务中心",
        T.CHARITY,
        "doumen",
        "52440403MJL000009",
        "何静",
        1,
        "",
        "资助困难家庭学生，开展课业辅导与心理关怀。",
        S.EXITED,
    ),
    (
        "斗门区水上婚嫁文化传承协会",
        T.OTHER,
        "doumen",
        "51440403MJL000010",
        "冯秀英",
        2,
        "2A",
        "传承国家级非物质文化遗产斗门水上婚嫁习俗，开展展演与培训。",
        None,
    ),
]

# The steps taken from the draft to reach each final state, with the staff member's note.
PATHS = {
    S.DRAFT: [],
    S.SUBMITTED: [("submit", "")],
    S.UNDER_REVIEW: [("submit", ""), ("start_review", "")],
    S.MORE_INFO: [("submit", ""), ("start_review", ""), ("request_info", "请补充章程草案和三名以上发起人的简历。")],
    S.ACCEPTED: [("submit", ""), ("start_review", ""), ("accept", "发展规划清晰，团队稳定，同意入驻孵化。")],
    S.REJECTED: [
        ("submit", ""),
        ("start_review", ""),
        ("reject", "业务范围与已入驻组织重复，建议与斗门区小微企业联合会合作开展。"),
    ],
    S.INCUBATING: [
        ("submit", ""),
        ("accept", "同意入驻孵化，重点提供会员发展和服务能力建设。"),
        ("start_incubation", ""),
    ],
    S.GRADUATED: [("submit", ""), ("accept", "同意入驻孵化。"), ("start_incubation", "")],
    S.EXITED: [
        ("submit", ""),
        ("accept", "同意入驻孵化。"),
        ("start_incubation", ""),
        ("exit", "连续两个季度未报送工作进展，经协商终止孵化。"),
    ],
}

RESOURCES = [
    ("多功能活动室", Resource.Kind.ROOM, "孵化基地一楼", 60, "可容纳60人，配投影和音响。"),
    ("培训教室", Resource.Kind.ROOM, "孵化基地二楼", 30, "可容纳30人，适合培训和讲座。"),
    ("洽谈室", Resource.Kind.ROOM, "孵化基地二楼", 8, "小型会议、项目洽谈。"),
    ("便携投影仪", Resource.Kind.EQUIPMENT, "孵化基地服务台", None, "外出活动可借用。"),
]

SERVICES = [
    (ServiceKind.INITIAL_INCUBATION, "入驻评估与孵化方案制定", Decimal("4"), 1, 3),
    (ServiceKind.POLICY_CONSULTATION, "社会组织登记与税收优惠政策咨询", Decimal("2"), 1, 2),
    (ServiceKind.STAFF_TRAINING, "社会组织财务管理培训班", Decimal("12"), 4, 26),
    (ServiceKind.PROJECT_GUIDANCE, "公益创投项目书撰写辅导", Decimal("6"), 3, 4),
    (ServiceKind.CAPACITY_BUILDING, "理事会治理与内部制度建设", Decimal("8"), 2, 9),
    (ServiceKind.INFORMATION_EXCHANGE, "孵化组织季度交流会", Decimal("3"), 1, 35),
    (ServiceKind.TALENT_PLACEMENT, "社工专业学生实习安排", Decimal("40"), 1, 2),
    (ServiceKind.SHARED_RESOURCES, "借用多功能活动室举办会员大会", Decimal("3"), 1, 80),
]

SURVEY_TITLE = "2026年斗门区社会组织发展现状调研"
SURVEY_QUESTIONS = [
    ("single", "是否配备专职财务人员？", ["是", "否"], True),
    ("multiple", "主要服务领域（可多选）", ["养老服务", "青少年", "助残", "环境保护", "行业服务", "文化传承"], True),
    ("number", "专职工作人员人数", [], True),
    ("text", "最希望孵化基地提供哪些支持？", [], False),
]
# organization, answers (single, multiple, number, text)
SURVEY_ANSWERS = [
    ("珠海新青志愿者协会", "是", ["养老服务", "青少年", "助残"], 4, "希望增加志愿者培训和活动场地。"),
    ("斗门区白蕉海鲈养殖行业协会", "是", ["行业服务"], 5, "希望协助对接电商平台和品牌推广资源。"),
    ("莲洲镇乡村社区发展服务社", "否", ["青少年", "养老服务"], 2, "缺少专职财务，希望提供财务代账培训。"),
    ("斗门区水上婚嫁文化传承协会", "否", ["文化传承"], 2, ""),
]
# Grading applications of the demo: organization, how far it has gone (decided: awarded 3A with certificate).
GRADINGS = [
    ("莲洲镇乡村社区发展服务社", "decided"),
    ("白藤街道邻里互助协会", "notice"),
    ("斗门区青年创业商会", "submitted"),
]

TRAINING_TOPICS = ["会计基础与票据管理", "年度预算编制", "项目资金使用与审计", "财务信息公开"]
TRAINING_ATTENDANCE = [7, 6, 7, 6]


def representative_usernames() -> list[str]:
    """The demo representatives' accounts (the first organization's representative is the demo citizen)."""
    return [f"orgrep{index}" for index in range(2, len(ORGANIZATIONS) + 1)]


def _representative(User, index: int, name: str):
    user, created = User.objects.get_or_create(
        username=f"orgrep{index}",
        defaults={"phone": f"+861370000{index:04d}", "phone_verified": True, "real_name": name},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _certificate_scan(name: str):
    """A stand-in scan of a registration certificate (a small image) for the demo claims."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), "white").save(out, "PNG")
    return SimpleUploadedFile(f"{name}登记证书.png", out.getvalue(), content_type="image/png")


def _held_grade_decided_on(grade: str, today: datetime.date) -> datetime.date:
    """When the grade an organization holds in the demo was decided: the 2A five years before the day
    150 days from now (so it expires within 6 months and its representative gets the reminder), the others
    two years ago (valid three more years)."""
    if grade == "2A":
        return add_months(today + datetime.timedelta(days=150), -VALIDITY_MONTHS)
    return today - datetime.timedelta(days=730)


def _registered_on(index: int, grade: str, today: datetime.date) -> datetime.date:
    """An organization with a grade was registered 2 full years (and more) before its grading began."""
    registered = today - datetime.timedelta(days=100 + 200 * index)
    if grade:
        registered = min(registered, add_months(_held_grade_decided_on(grade, today), -36))
    return registered


def _register(index, user, staff, *, name, org_type, town, body, legal, staff_count, purpose, registered):
    """The representative enters the organization (with its certificate when registered) on the day it was
    registered; staff confirm the credit code two days later, as on the portal."""
    from .services.registration import confirm_registration

    values = {
        "name": name,
        "org_type": org_type,
        "town": town,
        "legal_representative": legal,
        "founded_on": registered - datetime.timedelta(days=20),
        "full_time_staff": staff_count,
        "address": f"珠海市斗门区{town.name}",
        "contact_person": legal,
        "contact_phone": f"0756-55{index:05d}",
        "purpose": purpose,
    }
    if body is None:
        with democlock.on(registered, 10):
            return services.register_organization(user, values=values)
    with democlock.on(registered, 10):
        organization = services.register_organization(
            user,
            values={**values, "credit_code": make_credit_code(body), "registered_on": registered},
            certificate=_certificate_scan(name),
        )
    claim = organization.registration_claims.get()
    with democlock.on(registered + datetime.timedelta(days=2), 15):
        confirm_registration(claim, actor=staff, note="已核对登记证书。")
    organization.refresh_from_db()
    return organization


@transaction.atomic
def seed_incubator() -> None:
    User = get_user_model()
    staff = User.objects.get(username="incubator")
    citizen = User.objects.get(username="citizen")
    towns = {town.code: town for town in Town.objects.all()}
    today = timezone.localdate()
    representatives = {}

    for name, kind, location, capacity, description in RESOURCES:
        Resource.objects.get_or_create(
            name=name, defaults={"kind": kind, "location": location, "capacity": capacity, "description": description}
        )

    for index, (name, org_type, town, body, legal, staff_count, grade, purpose, final) in enumerate(ORGANIZATIONS, 1):
        # The demo citizen acts for the federation branch from the article.
        user = citizen if index == 1 else _representative(User, index, legal)
        registered = _registered_on(index, grade, today)
        organization = Organization.objects.filter(name=name).first()
        if organization is None:
            organization = _register(
                index,
                user,
                staff,
                name=name,
                org_type=org_type,
                town=towns[town],
                body=body,
                legal=legal,
                staff_count=staff_count,
                purpose=purpose,
                registered=registered if body is not None else today - datetime.timedelta(days=60),
            )
        # Annual inspections and penalties are registry facts staff enter from the civil-affairs records.
        if organization.registered_on and organization.registered_on.year < today.year:
            for year in range(organization.registered_on.year, today.year):
                AnnualInspection.objects.get_or_create(
                    organization=organization, year=year, defaults={"result": AnnualInspection.Result.PASSED}
                )
        if final == S.EXITED and not organization.penalties.exists():
            Penalty.objects.create(
                organization=organization,
                decided_on=today - datetime.timedelta(days=90),
                authority="斗门区民政局",
                document_number=f"斗民罚〔{today.year}〕3号",
                description="未按规定报送年度工作报告，给予警告。",
            )
        if grade and not organization.grading_applications.exists():
            decided = _held_grade_decided_on(grade, today)
            _grading(organization, user, staff, "decided", started=decided - datetime.timedelta(days=18), grade=grade)
        representatives[name] = user
        if final is None or organization.incubation_applications.exists():
            continue
        _application(organization, user, staff, final, started=today - datetime.timedelta(days=200 - 10 * index))
    _survey(staff, representatives)
    for name, final in GRADINGS:
        organization = Organization.objects.get(name=name)
        if not organization.grading_applications.exists():
            days_ago = {"decided": 30, "notice": 12, "submitted": 1}[final]
            _grading(
                organization,
                representatives[name],
                staff,
                final,
                started=today - datetime.timedelta(days=days_ago),
                grade="3A",
            )


def _application(organization, user, staff, final, *, started: datetime.date) -> None:
    """An incubation application taken to ``final`` on the fake clock, a step every few days from
    ``started``; an organization that leaves incubation (graduates or exits) does so two days ago, after
    the services logged for it."""
    today = timezone.localdate()
    with democlock.on(started, 10):
        application = services.create_application(
            user,
            organization=organization,
            plan=f"{organization.purpose}第一年建立会员和志愿者队伍，开展至少四个服务项目。",
            needs=["space", "training", "policy", "project"] + (["funding"] if final == S.GRADUATED else []),
            team=f"负责人{organization.legal_representative}，专职人员{organization.full_time_staff}名，另有志愿者若干。",
        )
    steps = PATHS[final]
    leaving = final == S.EXITED
    for number, (action, note) in enumerate(steps[:-1] if leaving else steps, start=1):
        actor = user if action in ("submit", "resubmit") else staff
        with democlock.on(started + datetime.timedelta(days=3 * number), 10 if actor is user else 15):
            transition(application, action, actor=actor, note=note)
    if final in (S.INCUBATING, S.GRADUATED, S.EXITED, S.ACCEPTED):
        _services(organization, staff)
    if leaving:
        action, note = steps[-1]
        with democlock.on(today - datetime.timedelta(days=2), 15):
            transition(application, action, actor=staff, note=note)
    if final == S.GRADUATED:
        with democlock.on(today - datetime.timedelta(days=2), 15):
            services.record_graduation_review(
                application,
                actor=staff,
                registered=True,
                governance=True,
                staff=True,
                projects=True,
                decision=GraduationReview.Decision.GRADUATE,
                note="已完成登记，理事会运转规范，专职人员到位，三个公益项目持续运行，准予出壳。",
            )
    if final in (S.INCUBATING, S.ACCEPTED):
        room = Resource.objects.get(name="培训教室")
        start = timezone.localtime().replace(hour=14, minute=0, second=0, microsecond=0) + datetime.timedelta(
            days=3 if final == S.INCUBATING else 4
        )
        if not ResourceBooking.objects.filter(resource=room, starts_at=start).exists():
            services.book_resource(
                resource=room,
                organization=organization,
                actor=user,
                starts_at=start,
                ends_at=start + datetime.timedelta(hours=2),
                purpose="会员培训",
            )


def _services(organization, staff) -> None:
    """The base's services to the organization over the last eight weeks, each logged on its day."""
    if ServiceRecord.objects.filter(organization=organization).exists():
        return
    today = timezone.localdate()
    for offset, (kind, title, hours, sessions, people) in enumerate(SERVICES):
        day = today - datetime.timedelta(days=7 * (len(SERVICES) - offset))
        with democlock.on(day, 17):
            record = services.log_service(
                organization=organization,
                kind=kind,
                title=title,
                date=day,
                hours=hours,
                sessions=sessions,
                people=people,
                actor=staff,
            )
        if kind == ServiceKind.STAFF_TRAINING:
            for number, attendees in enumerate(TRAINING_ATTENDANCE, 1):
                with democlock.on(record.date + datetime.timedelta(days=number - 1), 17):
                    services.add_training_session(
                        record,
                        actor=staff,
                        topic=f"第{number}讲：{TRAINING_TOPICS[number - 1]}",
                        hours=Decimal("3"),
                        attendees=attendees,
                        date=record.date + datetime.timedelta(days=number - 1),
                    )


def _survey(staff, representatives) -> None:
    """A survey sent to every organization, answered by four of them."""
    from .models import Question, Survey
    from .services.surveys import send_survey, submit_response

    if Survey.objects.filter(title=SURVEY_TITLE).exists():
        return
    survey = Survey.objects.create(
        title=SURVEY_TITLE,
        description="为掌握全区社会组织发展现状、制定扶持政策，请各社会组织如实填写。",
        closes_at=timezone.now() + datetime.timedelta(days=30),
        created_by=staff,
    )
    for position, (kind, text, choices, required) in enumerate(SURVEY_QUESTIONS, 1):
        Question.objects.create(
            survey=survey, position=position, kind=kind, text=text, choices=choices, required=required
        )
    send_survey(survey, actor=staff)
    questions = list(survey.questions.all())
    for name, *values in SURVEY_ANSWERS:
        organization = Organization.objects.get(name=name)
        answers = {question.pk: value for question, value in zip(questions, values, strict=True)}
        submit_response(survey, organization=organization, actor=representatives[name], answers=answers)


# The share of every indicator's maximum the experts give for a grade: 66% makes about 655 points (2A),
# 76% 755 (3A), 82% 814 (4A).
SCORE_SHARES = {"2A": 66, "3A": 76, "4A": 82}


def _grading(organization, user, staff, final, *, started: datetime.date, grade: str) -> None:
    """A grading application moved through the real workflow to ``final`` on the fake clock from
    ``started``: submitted that day, scored after three days, published after ten, and decided the day after
    the 7-day public notice ended (18 days in, later when the notice ran past a holiday)."""
    from .models import Indicator
    from .models.grading import NOTICE_DAYS
    from .services import grading

    day = datetime.timedelta(days=1)
    with democlock.on(started, 10):
        application = grading.create_grading_application(user, organization=organization)
        grading.save_self_assessment(
            application,
            actor=user,
            text="组织机构健全，理事会按章程履职；财务管理规范；年度开展服务项目六个，服务群众三千余人次。",
            score=800,
        )
        transition(application, "submit", actor=user)
    if final == "submitted":
        return
    with democlock.on(started + day, 10):
        transition(application, "complete_self_assessment", actor=user)
    with democlock.on(started + 3 * day, 15):
        transition(application, "start_scoring", actor=staff)
        share = SCORE_SHARES[grade]
        grading.record_scores(
            application, actor=staff, scores={i.pk: i.max_points * share // 100 for i in Indicator.objects.all()}
        )
    with democlock.on(started + 10 * day, 15):
        transition(application, "publish", actor=staff)
    if final == "notice":
        return
    # The notice ends on a working day: past a public holiday it runs longer.
    with democlock.on(max(started + (11 + NOTICE_DAYS) * day, application.due_date + day), 15):
        transition(
            application,
            "decide",
            actor=staff,
            note=f"经评估委员会审定，公示期内无异议，评定为{grade}级社会组织。",
        )
