"""Fill a PostgreSQL database with a province-sized load for the benchmarks (`make bench-data`).

    createdb doumen_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/doumen_bench make bench-data

Migrates, loads the demo data (`seed_demo`: places, roles, the demo accounts the benchmark logs in as),
then adds with set-based SQL (INSERT ... SELECT generate_series, no Python loop over rows):

- 200,000 citizens and 200 petition agents;
- 1,000,000 petitions over five years in every state, with the history rows of the steps that led there,
  agents on the assigned ones, 1,000 of them filed by the demo citizen;
- 100,000 social organizations with a representative each, 20,000 incubation applications, 10,000 grading
  applications (with their history) and 50,000 room bookings;
- 2,000,000 inbox notifications (2,000 to the demo citizen) and 5,000,000 audit entries.

``BENCH_SCALE`` (default 1.0) multiplies every count: 0.01 gives a quick, small database. Refuses to run on
SQLite and on a database that already holds generated rows. Text is drawn from lists of Chinese names,
subjects and bodies, so that searches and indexes see realistic strings.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doumen_portal.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

SCALE = float(os.environ.get("BENCH_SCALE", "1"))
CITIZENS = int(200_000 * SCALE)
AGENTS = max(int(200 * SCALE), 5)
PETITIONS = int(1_000_000 * SCALE)
DEMO_CITIZEN_PETITIONS = min(1_000, PETITIONS // 2)
ORGANIZATIONS = int(100_000 * SCALE)
INCUBATION_APPLICATIONS = int(20_000 * SCALE)
GRADING_APPLICATIONS = int(10_000 * SCALE)
BOOKINGS = int(50_000 * SCALE)
NOTIFICATIONS = int(2_000_000 * SCALE)
DEMO_CITIZEN_NOTIFICATIONS = min(2_000, NOTIFICATIONS // 2)
AUDIT_ENTRIES = int(5_000_000 * SCALE)
CHUNK = 1_000_000  # rows per INSERT for the largest tables: bounded memory and WAL per statement
PREFIX = "bench-"  # usernames of generated accounts


def sql_array(words) -> str:
    return "ARRAY[" + ",".join("'" + w.replace("'", "''") + "'" for w in words) + "]"


SURNAMES = sql_array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高梁郑谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余")
GIVEN = sql_array(
    [
        "伟",
        "芳",
        "娜",
        "秀英",
        "敏",
        "静",
        "丽",
        "强",
        "磊",
        "军",
        "洋",
        "勇",
        "艳",
        "杰",
        "娟",
        "涛",
        "明",
        "超",
        "秀兰",
        "霞",
        "平",
        "刚",
        "桂英",
        "文",
        "华",
        "玉兰",
        "建国",
        "志强",
        "海燕",
        "晓明",
    ]
)
SUBJECTS = sql_array(
    [
        "征地补偿款未按时发放",
        "小区物业费收费标准不合理",
        "农村宅基地确权纠纷",
        "拖欠农民工工资",
        "道路施工噪音扰民",
        "养殖场污染河涌",
        "村集体经济分红不公开",
        "房屋漏水开发商拒不维修",
        "低保资格认定有异议",
        "医疗费用报销被拒",
        "企业改制职工安置问题",
        "学位分配不合理",
        "违章建筑影响采光",
        "鱼塘承包合同纠纷",
        "社保缴费年限认定",
        "公交线路调整不便出行",
        "渔船补贴未到位",
        "垃圾中转站选址",
        "电动车充电桩安全隐患",
        "邻里排水沟堵塞",
    ]
)
RESPONDENTS = sql_array(
    [
        "斗门区住房和城乡建设局",
        "斗门区人力资源和社会保障局",
        "斗门区自然资源局",
        "斗门区农业农村和水务局",
        "斗门区教育局",
        "斗门区民政局",
        "井岸镇人民政府",
        "白蕉镇人民政府",
        "斗门镇人民政府",
        "乾务镇人民政府",
        "莲洲镇人民政府",
        "白藤街道办事处",
        "某物业服务有限公司",
        "某房地产开发有限公司",
    ]
)
FACTS = sql_array(
    [
        "本人多次向有关部门反映，至今未得到答复，影响家庭正常生活，请求依法处理。",
        "该问题已持续半年以上，涉及本村多户村民，村委会表示无权处理，特此反映。",
        "相关单位以各种理由推脱，未出具书面意见，本人对处理结果不服，请求协调解决。",
        "事情经过：去年签订合同后，对方未按约定履行义务，多次协商无果，现申请信访代理。",
    ]
)
REQUESTS = sql_array(
    ["请求依法责令相关单位限期解决", "请求核实情况并书面答复", "请求协调补发相关款项", "请求停止侵害并赔偿损失"]
)
ORG_ADJECTIVES = sql_array(
    [
        "青年",
        "长者",
        "妇女",
        "儿童",
        "残疾人",
        "退役军人",
        "外来务工人员",
        "新市民",
        "乡贤",
        "侨胞",
        "渔民",
        "农民",
        "社区",
        "邻里",
        "阳光",
        "启航",
        "同心",
        "和美",
        "益善",
        "红棉",
        "禾田",
        "水乡",
        "蓝海",
        "绿源",
        "博爱",
        "仁心",
        "乐善",
        "彩虹",
        "星光",
        "暖心",
    ]
)
ORG_FIELDS = sql_array(
    [
        "志愿服务",
        "文化体育",
        "助学",
        "养老服务",
        "心理健康",
        "环境保护",
        "法律援助",
        "科技创新",
        "农业技术",
        "电子商务",
        "家庭教育",
        "禁毒宣传",
        "应急救援",
        "非遗传承",
        "龙舟",
        "粤剧",
        "书画",
        "摄影",
        "健康促进",
        "就业帮扶",
        "垃圾分类",
        "邻里互助",
        "慈善",
        "调解",
        "读书",
        "乡村振兴",
        "水产养殖",
        "民宿",
        "创业",
        "社工",
    ]
)
ORG_SUFFIXES = sql_array(
    ["协会", "促进会", "服务中心", "发展中心", "联合会", "研究会", "俱乐部", "服务社", "基金会", "互助会"]
)
NOTIFICATION_SUBJECTS = sql_array(
    [
        "您的信访事项已受理",
        "您的信访事项处理意见书已出具",
        "您的申请状态已更新",
        "请补充材料",
        "预约已确认",
        "办理期限提醒",
    ]
)
AUDIT_ACTIONS = sql_array(
    [
        "petitions.petition.submit",
        "petitions.petition.accept",
        "petitions.petition.issue_opinion",
        "petitions.petition.close",
        "petitions.worklog.add",
        "accounts.login",
        "accounts.real_name.verify",
        "incubator.organization.update",
        "incubator.incubationapplication.submit",
        "notifications.sms.sent",
    ]
)

# The steps that lead to each petition state: (state, step number, action, from, to).
PETITION_PATHS = {
    "submitted": ["submit"],
    "accepted": ["submit", "accept"],
    "not_accepted": ["submit", "not_accept"],
    "forwarded": ["submit", "forward"],
    "answered": ["submit", "accept", "issue_opinion"],
    "reviewing": ["submit", "accept", "issue_opinion", "request_review"],
    "reviewed": ["submit", "accept", "issue_opinion", "request_review", "decide_review"],
    "rereviewing": ["submit", "accept", "issue_opinion", "request_review", "decide_review", "request_rereview"],
    "hearing": [
        "submit",
        "accept",
        "issue_opinion",
        "request_review",
        "decide_review",
        "request_rereview",
        "hold_hearing",
    ],
    "final": [
        "submit",
        "accept",
        "issue_opinion",
        "request_review",
        "decide_review",
        "request_rereview",
        "decide_rereview",
    ],
    "closed": ["submit", "accept", "issue_opinion", "close"],
    "withdrawn": ["submit", "withdraw"],
}
INCUBATION_PATHS = {
    "submitted": ["submit"],
    "under_review": ["submit", "start_review"],
    "more_info": ["submit", "request_info"],
    "accepted": ["submit", "start_review", "accept"],
    "rejected": ["submit", "start_review", "reject"],
    "incubating": ["submit", "start_review", "accept", "start_incubation"],
    "graduated": ["submit", "start_review", "accept", "start_incubation", "graduate"],
}
GRADING_PATHS = {
    "submitted": ["submit"],
    "self_assessed": ["submit", "complete_self_assessment"],
    "scoring": ["submit", "complete_self_assessment", "start_scoring"],
    "notice": ["submit", "complete_self_assessment", "start_scoring", "publish"],
    "decided": ["submit", "complete_self_assessment", "start_scoring", "publish", "decide"],
    "rejected": ["submit", "complete_self_assessment", "reject"],
}


def path_rows(paths: dict) -> str:
    """The steps of every state as a VALUES list: (state, step number, action, from state, to state)."""
    rows = []
    for state, actions in paths.items():
        current = ""
        for number, action in enumerate(actions):
            # Each step's target is the next state on the path; the last step lands on ``state``.
            target = state if number == len(actions) - 1 else _state_after(paths, actions[: number + 1])
            rows.append(f"('{state}', {number}, '{action}', '{current}', '{target}')")
            current = target
    return "VALUES " + ", ".join(rows)


def _state_after(paths: dict, prefix: list) -> str:
    for state, actions in paths.items():
        if actions == prefix:
            return state
    raise ValueError(f"no state is reached by {prefix}")


APPLICANT_ACTIONS = "('submit', 'request_review', 'request_rereview', 'withdraw', 'accept_outcome', 'resubmit')"


def run(label: str, sql: str) -> None:
    """Run one statement; the SQL is built from integers and fixed lists only, so it takes no parameters
    (and ``%`` is SQL's modulo)."""
    start = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute(sql)
        count = cursor.rowcount
    print(f"  {label:<40} {count:>11,} rows {time.monotonic() - start:>7.1f} s", flush=True)


def scalar(sql: str):
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


def content_type_id(app_label: str, model: str) -> int:
    return scalar(f"SELECT id FROM django_content_type WHERE app_label = '{app_label}' AND model = '{model}'")


def user_id(username: str) -> int:
    return scalar(f"SELECT id FROM accounts_user WHERE username = '{username}'")


def chunks(total: int):
    for start in range(1, total + 1, CHUNK):
        yield start, min(start + CHUNK - 1, total)


USER_COLUMNS = """password, is_superuser, username, first_name, last_name, email, is_staff, is_active, date_joined,
    phone, phone_verified, language, real_name, id_number_ciphertext, id_number_digest, id_number_masked,
    real_name_verified_at, password_changed_at"""


def generate_people() -> None:
    run(
        "citizens",
        f"""
        INSERT INTO accounts_user ({USER_COLUMNS})
        SELECT '!', false, '{PREFIX}c' || i, '', '', '', false, true, now() - (i % 1500) * interval '1 day',
            '+8615' || lpad(i::text, 9, '0'), true, 'zh-hans',
            ({SURNAMES})[1 + i % 34] || ({GIVEN})[1 + (i / 34) % 30], '', NULL,
            '440403**********' || lpad((i % 100)::text, 2, '0'), now() - (i % 1500) * interval '1 day', NULL
        FROM generate_series(1, {CITIZENS}) AS i
        """,
    )
    run(
        "petition agents",
        f"""
        INSERT INTO accounts_user ({USER_COLUMNS})
        SELECT '!', false, '{PREFIX}agent' || i, '', '', '', true, true, now() - interval '3 years',
            '+8618' || lpad(i::text, 9, '0'), true, 'zh-hans',
            ({SURNAMES})[1 + (i * 7) % 34] || ({GIVEN})[1 + i % 30], '', NULL, '', NULL, now()
        FROM generate_series(1, {AGENTS}) AS i
        """,
    )
    run(
        "agents' role",
        f"""
        INSERT INTO accounts_user_groups (user_id, group_id)
        SELECT u.id, g.id FROM accounts_user u, auth_group g
        WHERE u.username LIKE '{PREFIX}agent%' AND g.name = '信访代理员'
        """,
    )
    run(
        "agents' unit",
        f"""
        INSERT INTO units_membership (role, active, created_at, unit_id, user_id)
        SELECT 'worker', true, now(), un.id, u.id FROM accounts_user u, units_unit un
        WHERE u.username LIKE '{PREFIX}agent%' AND un.code = 'petition-station'
        """,
    )


def generate_petitions() -> None:
    first_citizen = scalar(f"SELECT min(id) FROM accounts_user WHERE username LIKE '{PREFIX}c%'")
    first_agent = scalar(f"SELECT min(id) FROM accounts_user WHERE username LIKE '{PREFIX}agent%'")
    demo_citizen = user_id("citizen")
    towns = "ARRAY[" + ",".join(str(pk) for pk in scalar("SELECT array_agg(id ORDER BY id) FROM places_town")) + "]"
    answered = "('answered', 'reviewing', 'reviewed', 'rereviewing', 'hearing', 'final', 'closed')"
    reviewed = "('reviewed', 'rereviewing', 'hearing', 'final')"
    unregistered = "('submitted', 'withdrawn')"
    # Petitions are numbered in filing order over five years; the newest are the open ones. Tracking
    # numbers follow the portal's yearly sequence (XF2026-000123-7K).
    run(
        "petitions",
        f"""
        WITH numbered AS (
            SELECT i, now() - interval '5 years' * (1 - i::float / {PETITIONS}) - (i % 1440) * interval '1 minute'
                AS filed
            FROM generate_series(1, {PETITIONS}) AS i
        ), stated AS (
            SELECT i, filed,
                CASE
                    WHEN filed > now() - interval '30 days' THEN
                        (ARRAY['submitted','submitted','accepted','accepted','accepted','withdrawn'])[1 + i % 6]
                    WHEN filed > now() - interval '120 days' THEN
                        (ARRAY['accepted','answered','reviewing','reviewed','rereviewing','hearing','forwarded',
                               'not_accepted'])[1 + i % 8]
                    ELSE (ARRAY['closed','closed','closed','closed','closed','closed','final','not_accepted',
                                'forwarded','withdrawn'])[1 + i % 10]
                END AS status,
                row_number() OVER (PARTITION BY extract(year FROM filed) ORDER BY i) AS seq
            FROM numbered
        )
        INSERT INTO petitions_petition (created_at, updated_at, status, tracking_number, subject, facts, request,
            respondent, involves_others, people_count, contact_phone, facts_digest, registration, registered_on,
            registration_note, legal_channel, forwarded_to, handling_due_date, extension_reason, opinion,
            opinion_issued_on, review_opinion, review_issued_on, rereview_opinion, rereview_issued_on,
            satisfaction, satisfaction_comment, rated_on, due_date, due_date_provisional, applicant_id, assignee_id,
            town_id, unit_id)
        SELECT filed, least(now(), filed + interval '40 days' * (status NOT IN {unregistered})::int), status,
            'XF' || extract(year FROM filed)::int || '-' || lpad(seq::text, 6, '0') || '-'
                || substr('23456789ABCDEFGHJKLMNPQRSTUVWXYZ', 1 + i % 32, 1)
                || substr('23456789ABCDEFGHJKLMNPQRSTUVWXYZ', 1 + (i / 32) % 32, 1),
            ({SUBJECTS})[1 + i % 20]
                || CASE WHEN i % 3 = 0 THEN '（' || ({RESPONDENTS})[1 + i % 14] || '）' ELSE '' END,
            ({FACTS})[1 + i % 4], ({REQUESTS})[1 + i % 4], ({RESPONDENTS})[1 + i % 14],
            i % 9 = 0, 1 + (i % 9 = 0)::int * (i % 30), '+8615' || lpad((1 + i % {CITIZENS})::text, 9, '0'),
            md5(i::text) || md5((i + 1)::text),
            CASE WHEN status IN {unregistered} THEN '' WHEN status IN ('not_accepted', 'forwarded') THEN status
                ELSE 'accepted' END,
            CASE WHEN status NOT IN {unregistered} THEN (filed + interval '10 days')::date END,
            CASE WHEN status IN ('not_accepted', 'forwarded') THEN '不属于本站受理范围，已告知依法通过其他途径解决。'
                ELSE '' END,
            CASE WHEN status = 'not_accepted' THEN 'litigation' ELSE '' END,
            CASE WHEN status = 'forwarded' THEN ({RESPONDENTS})[1 + i % 6] ELSE '' END,
            CASE WHEN status NOT IN ('submitted', 'withdrawn', 'not_accepted', 'forwarded')
                THEN (filed + interval '70 days')::date END,
            '',
            CASE WHEN status IN {answered} THEN '经调查核实，相关单位已承诺限期整改，现出具处理意见。' ELSE '' END,
            CASE WHEN status IN {answered} THEN (filed + interval '50 days')::date END,
            CASE WHEN status IN {reviewed} THEN '维持原处理意见。' ELSE '' END,
            CASE WHEN status IN {reviewed} THEN (filed + interval '80 days')::date END,
            CASE WHEN status = 'final' THEN '复核维持复查意见。' ELSE '' END,
            CASE WHEN status = 'final' THEN (filed + interval '110 days')::date END,
            CASE WHEN status = 'closed' THEN (ARRAY['satisfied','basically','dissatisfied'])[1 + i % 3] ELSE '' END,
            '',
            CASE WHEN status = 'closed' THEN (filed + interval '60 days')::date END,
            CASE status
                WHEN 'submitted' THEN (filed + interval '21 days')::date
                WHEN 'accepted' THEN (filed + interval '70 days')::date
                WHEN 'reviewing' THEN (filed + interval '90 days')::date
                WHEN 'rereviewing' THEN (filed + interval '120 days')::date
            END,
            false,
            CASE WHEN i > {PETITIONS} - {DEMO_CITIZEN_PETITIONS} * 40 AND i % 40 = 0 THEN {demo_citizen}
                ELSE {first_citizen} + (i::bigint * 7919) % {CITIZENS} END,
            CASE WHEN status IN ('submitted', 'withdrawn', 'not_accepted', 'forwarded') AND i % 3 <> 0 THEN NULL
                ELSE {first_agent} + i % {AGENTS} END,
            ({towns})[1 + i % {len(towns.split(","))}],
            (SELECT id FROM units_unit WHERE code = 'petition-station')
        FROM stated
        """,
    )
    run(
        "tracking number sequences",
        """
        INSERT INTO petitions_trackingsequence (year, last_number)
        SELECT substr(tracking_number, 3, 4)::int, max(substr(tracking_number, 8, 6)::int)
        FROM petitions_petition GROUP BY 1
        ON CONFLICT (year) DO UPDATE SET last_number = greatest(petitions_trackingsequence.last_number,
            EXCLUDED.last_number)
        """,
    )
    run(
        "agents on assigned petitions",
        """
        INSERT INTO petitions_petitionagent (assigned_at, agent_id, assigned_by_id, petition_id)
        SELECT created_at + interval '5 days', assignee_id, NULL, id FROM petitions_petition
        WHERE assignee_id IS NOT NULL
        ON CONFLICT DO NOTHING
        """,
    )
    history("petition history", "petitions_petition", content_type_id("petitions", "petition"), PETITION_PATHS)


def history(label: str, table: str, content_type: int, paths: dict) -> None:
    """The history row of every step that led each case to its state, ten days apart."""
    run(
        label,
        f"""
        INSERT INTO casework_casehistory (content_type_id, object_id, action, from_status, to_status, actor_id,
            note, due_date, clock_unit, created_at)
        SELECT {content_type}, c.id, p.action, p.from_status, p.to_status,
            CASE WHEN p.action IN {APPLICANT_ACTIONS} THEN c.applicant_id ELSE c.assignee_id END,
            '', CASE WHEN p.to_status = c.status THEN c.due_date END, '',
            least(now(), c.created_at + p.step * interval '10 days')
        FROM {table} c JOIN ({path_rows(paths)}) AS p (status, step, action, from_status, to_status)
            ON p.status = c.status
        """,
    )


def generate_organizations() -> None:
    first_citizen = scalar(f"SELECT min(id) FROM accounts_user WHERE username LIKE '{PREFIX}c%'")
    staff = user_id("incubator")
    villages = scalar("SELECT array_agg(name ORDER BY id) FROM places_village")
    village_towns = scalar("SELECT array_agg(town_id ORDER BY id) FROM places_village")
    names = sql_array(villages)
    towns = "ARRAY[" + ",".join(str(pk) for pk in village_towns) + "]"
    v = len(villages)
    # Mixed-radix digits of i pick village, adjective, field and suffix: every name is different.
    run(
        "organizations",
        f"""
        INSERT INTO incubator_organization (name, org_type, credit_code, legal_representative, founded_on,
            registered_on, full_time_staff, address, contact_person, contact_phone, purpose, status, grade,
            grade_valid_until, created_at, updated_at, town_id)
        SELECT ({names})[1 + i % {v}] || ({ORG_ADJECTIVES})[1 + (i / {v}) % 30]
                || ({ORG_FIELDS})[1 + (i / {v * 30}) % 30] || ({ORG_SUFFIXES})[1 + (i / {v * 900}) % 10],
            (ARRAY['industry_association','chamber_of_commerce','sci_tech','charity','community_service',
                   'other'])[1 + i % 6],
            CASE WHEN i % 10 = 0 THEN NULL ELSE '5144' || lpad(i::text, 13, '0') || 'X' END,
            ({SURNAMES})[1 + i % 34] || ({GIVEN})[1 + (i / 7) % 30],
            current_date - (i % 3650), CASE WHEN i % 10 = 0 THEN NULL ELSE current_date - (i % 3600) END,
            i % 25, ({names})[1 + i % {v}] || (1 + i % 200) || '号', ({SURNAMES})[1 + (i / 3) % 34] || '女士',
            '+8613' || lpad(i::text, 9, '0'), '围绕' || ({ORG_FIELDS})[1 + (i / {v * 30}) % 30] || '开展公益服务。',
            CASE WHEN i % 10 = 0 THEN 'preparing' WHEN i % 97 = 0 THEN 'deregistered' ELSE 'registered' END,
            CASE WHEN i % 7 = 0 THEN (ARRAY['5A','4A','3A','2A','1A'])[1 + i % 5] ELSE '' END,
            CASE WHEN i % 7 = 0 THEN current_date + (i % 1000) END,
            now() - (i % 3650) * interval '1 day', now() - (i % 365) * interval '1 day',
            ({towns})[1 + i % {v}]
        FROM generate_series(1, {ORGANIZATIONS}) AS i
        """,
    )
    run(
        "representatives",
        f"""
        INSERT INTO incubator_representative (role, since, organization_id, user_id)
        SELECT 'principal', current_date - (o.id % 1000)::int, o.id, {first_citizen} + (o.id * 13) % {CITIZENS}
        FROM incubator_organization o WHERE o.name <> '' AND NOT EXISTS (
            SELECT 1 FROM incubator_representative r WHERE r.organization_id = o.id)
        """,
    )
    for label, table, prefix, count, paths, extra_columns, extra_values in (
        (
            "incubation applications",
            "incubator_incubationapplication",
            "FH",
            INCUBATION_APPLICATIONS,
            INCUBATION_PATHS,
            "plan, needs, team, decision_note, term_months",
            "'计划三年内完成登记注册，开展社区服务项目。', '[\"space\", \"training\"]'::jsonb, "
            "'专职2人，志愿者20人', '', 12",
        ),
        (
            "grading applications",
            "incubator_gradingapplication",
            "PG",
            GRADING_APPLICATIONS,
            GRADING_PATHS,
            "self_assessment, self_score, proposed_grade, awarded_grade, recheck_reason, decision_note",
            "'组织机构健全，财务管理规范。', 700 + o.id % 250, '', '', '', ''",
        ),
    ):
        states = list(paths)
        states_sql = "ARRAY[" + ",".join(f"'{s}'" for s in states) + "]"
        run(
            label,
            f"""
            INSERT INTO {table} (created_at, updated_at, status, reference, organization_name, {extra_columns},
                applicant_id, assignee_id, organization_id, due_date, due_date_provisional, unit_id)
            SELECT now() - (o.id % 1000) * interval '1 day', now() - (o.id % 300) * interval '1 day',
                ({states_sql})[1 + o.id % {len(states)}],
                '{prefix}' || (2021 + o.id % 6) || '-' || upper(substr(md5('{prefix}' || o.id), 1, 8)),
                o.name, {extra_values}, r.user_id, CASE WHEN o.id % 2 = 0 THEN {staff} END, o.id,
                CASE WHEN o.id % {len(states)} < 3 THEN current_date + (o.id % 20)::int - 5 END, false,
                (SELECT id FROM units_unit WHERE code = 'incubation-base')
            FROM incubator_organization o JOIN incubator_representative r ON r.organization_id = o.id
            ORDER BY o.id LIMIT {count}
            """,
        )
        model = table.split("_", 1)[1]
        history(f"{label[:-1]} history", table, content_type_id("incubator", model), paths)
    resources = scalar("SELECT array_agg(id ORDER BY id) FROM incubator_resource") or []
    if resources:
        ids = "ARRAY[" + ",".join(str(pk) for pk in resources) + "]"
        # Back to back, an hour each, years ago, per resource: the no-double-booking constraint holds.
        run(
            "bookings",
            f"""
            INSERT INTO incubator_resourcebooking (starts_at, ends_at, purpose, status, created_at, booked_by_id,
                organization_id, resource_id)
            SELECT date_trunc('hour', now()) - interval '5 years' + (i / {len(resources)}) * interval '1 hour',
                date_trunc('hour', now()) - interval '5 years' + (i / {len(resources)} + 1) * interval '1 hour',
                (ARRAY['理事会会议','志愿者培训','社区活动筹备','项目路演'])[1 + i % 4],
                CASE WHEN i % 9 = 0 THEN 'cancelled' ELSE 'booked' END, now() - interval '5 years',
                r.user_id, r.organization_id, ({ids})[1 + i % {len(resources)}]
            FROM generate_series(0, {BOOKINGS - 1}) AS i
            JOIN incubator_representative r
                ON r.id = (SELECT min(id) FROM incubator_representative) + i % {ORGANIZATIONS}
            """,
        )


def generate_notifications() -> None:
    first_citizen = scalar(f"SELECT min(id) FROM accounts_user WHERE username LIKE '{PREFIX}c%'")
    demo_citizen = user_id("citizen")
    for start, end in chunks(NOTIFICATIONS):
        run(
            f"notifications {start:,}–{end:,}",
            f"""
            INSERT INTO notifications_notification (kind, subject, body, url, created_at, read_at, recipient_id)
            SELECT 'case_update', ({NOTIFICATION_SUBJECTS})[1 + i % 6],
                '您好，' || ({NOTIFICATION_SUBJECTS})[1 + i % 6] || '，请登录平台查看详情。', '/my-affairs/',
                now() - ({NOTIFICATIONS} - i) * interval '1 minute',
                CASE WHEN i % 4 <> 0 THEN now() - ({NOTIFICATIONS} - i) * interval '1 minute' + interval '1 hour' END,
                CASE WHEN i % 1000 = 0 AND i / 1000 <= {DEMO_CITIZEN_NOTIFICATIONS} THEN {demo_citizen}
                    ELSE {first_citizen} + (i * 31) % {CITIZENS} END
            FROM generate_series({start}, {end}) AS i
            """,
        )


def generate_audit() -> None:
    first_citizen = scalar(f"SELECT min(id) FROM accounts_user WHERE username LIKE '{PREFIX}c%'")
    petition_type = content_type_id("petitions", "petition")
    for start, end in chunks(AUDIT_ENTRIES):
        run(
            f"audit entries {start:,}–{end:,}",
            f"""
            INSERT INTO audit_auditentry (action, actor_repr, object_id, object_repr, payload, ip_address,
                created_at, actor_id, content_type_id)
            SELECT ({AUDIT_ACTIONS})[1 + i % 10], ({SURNAMES})[1 + i % 34] || ({GIVEN})[1 + (i / 34) % 30],
                (1 + i % {max(PETITIONS, 1)})::text, 'XF2025-' || lpad((i % 999999)::text, 6, '0') || '-AB',
                '{{"from": "submitted", "to": "accepted"}}'::jsonb,
                ('10.' || (i % 250) || '.' || (i / 250 % 250) || '.' || (1 + i % 200))::inet,
                now() - ({AUDIT_ENTRIES} - i) * interval '20 seconds',
                {first_citizen} + i % {CITIZENS}, {petition_type}
            FROM generate_series({start}, {end}) AS i
            """,
        )


def main() -> None:
    if connection.vendor != "postgresql":
        sys.exit("bench/generate needs PostgreSQL: set DATABASE_URL=postgres://…/doumen_bench")
    started = time.monotonic()
    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", stdout=quiet)
    if scalar(f"SELECT count(*) FROM accounts_user WHERE username LIKE '{PREFIX}%'"):
        sys.exit("This database already holds generated data: drop and create it again first.")
    print(f"Generating into {connection.settings_dict['NAME']} (scale {SCALE}):", flush=True)
    for step in (generate_people, generate_petitions, generate_organizations, generate_notifications, generate_audit):
        with transaction.atomic():
            step()
    run("VACUUM ANALYZE", "VACUUM ANALYZE")  # statistics, and the visibility map index-only scans need
    print(f"Done in {time.monotonic() - started:.0f} s.")


if __name__ == "__main__":
    main()
