from django.db import migrations

# Common local defaults (staff edit them in the admin): 5A ≥ 900, 4A ≥ 800, 3A ≥ 700, 2A ≥ 600, 1A ≥ 500.
BANDS = [("5A", 900), ("4A", 800), ("3A", 700), ("2A", 600), ("1A", 500)]

# The usual structure of the social-organization assessment, 1,000 points in all.
INDICATORS = [
    ("基础条件", [("法人资格与登记备案", 20), ("章程制定与执行", 20), ("办公场所与人员", 20)]),
    (
        "内部治理",
        [
            ("组织机构与会议制度", 100),
            ("人力资源与专职人员", 80),
            ("财务管理与资产", 140),
            ("档案与证章管理", 40),
            ("党建工作", 40),
        ],
    ),
    (
        "工作绩效",
        [("提供服务与公益项目", 200), ("反映诉求与参与治理", 80), ("自律与诚信建设", 80), ("信息公开与宣传", 80)],
    ),
    ("社会评价", [("内部评价（会员、员工）", 50), ("外部评价（服务对象、主管部门）", 50)]),
]


def seed(apps, schema_editor):
    from doumen_portal.accounts.roles import sync_role_groups

    GradeBand = apps.get_model("incubator", "GradeBand")
    IndicatorGroup = apps.get_model("incubator", "IndicatorGroup")
    Indicator = apps.get_model("incubator", "Indicator")
    for grade, min_score in BANDS:
        GradeBand.objects.get_or_create(grade=grade, defaults={"min_score": min_score})
    if not IndicatorGroup.objects.exists():
        for group_position, (name, indicators) in enumerate(INDICATORS, 1):
            group = IndicatorGroup.objects.create(name=name, position=group_position)
            for position, (indicator, points) in enumerate(indicators, 1):
                Indicator.objects.create(group=group, name=indicator, max_points=points, position=position)
    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [("incubator", "0004_surveys_and_grading")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
