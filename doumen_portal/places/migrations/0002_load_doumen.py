"""Load the towns and subdistricts of Doumen District and a set of their villages and communities.

Staff add or correct places in the admin afterwards; re-running this migration changes nothing.
"""

from django.db import migrations

# (code, name, kind, [(village name, kind), ...])
DOUMEN = [
    ("jingan", "井岸镇", "town", [
        ("新伟社区", "community"), ("西埔社区", "community"), ("霞山社区", "community"),
        ("尖峰社区", "community"), ("草朗村", "village"), ("黄金村", "village"),
        ("龙西村", "village"), ("坭湾村", "village"),
    ]),
    ("baijiao", "白蕉镇", "town", [
        ("东湖村", "village"), ("灯笼村", "village"), ("成裕村", "village"),
        ("新环村", "village"), ("孖湾村", "village"), ("南环村", "village"),
    ]),
    ("doumen", "斗门镇", "town", [
        ("南门村", "village"), ("八甲村", "village"), ("小濠涌村", "village"),
        ("大濠涌村", "village"), ("上洲村", "village"), ("斗门村", "village"),
    ]),
    ("qianwu", "乾务镇", "town", [
        ("乾务村", "village"), ("湾口村", "village"), ("狮群村", "village"),
        ("荔山村", "village"), ("三里村", "village"), ("东澳村", "village"),
    ]),
    ("lianzhou", "莲洲镇", "town", [
        ("莲溪村", "village"), ("粉洲村", "village"), ("东安村", "village"),
        ("石龙村", "village"), ("上栏村", "village"), ("横山村", "village"),
    ]),
    ("baiteng", "白藤街道", "subdistrict", [
        ("白藤湖社区", "community"), ("藤山社区", "community"), ("大托村", "village"),
        ("连桥村", "village"),
    ]),
]


def load(apps, schema_editor):
    Town = apps.get_model("places", "Town")
    Village = apps.get_model("places", "Village")
    for order, (code, name, kind, villages) in enumerate(DOUMEN, start=1):
        town, _created = Town.objects.get_or_create(
            code=code, defaults={"name": name, "kind": kind, "sort_order": order}
        )
        for index, (village_name, village_kind) in enumerate(villages, start=1):
            Village.objects.get_or_create(
                town=town, name=village_name, defaults={"code": f"{code}-{index:02d}", "kind": village_kind}
            )


class Migration(migrations.Migration):
    dependencies = [("places", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
