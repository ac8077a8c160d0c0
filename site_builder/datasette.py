"""``data/metadata.json`` beside ``data/archive.db``: what Datasette shows of the database — a title, every
table's and column's description (the tables' labels come from the schema), the facets by year,
region, agency and table, and the full-text search over the sections.

Open it with ``datasette output/data/`` (the folder: Datasette then reads metadata.json itself), or
``datasette output/data/archive.db --metadata output/data/metadata.json``.
"""

from __future__ import annotations

import json
from typing import Any

from archive import schema

DATABASE = "archive"

FACET_COLUMNS = {
    "year": "报告年度",
    "province": "省级行政区（机关所在地区）",
    "agency_id": "发布机关（agencies 表）",
}

TABLES: dict[str, dict[str, Any]] = {
    "agencies": {
        "description": "发布机关：同一机关不同年份、不同写法的名称已归并（content/agencies.toml）。",
        "label_column": "name",
        "facets": ["kind", "province"],
        "columns": {
            "id": "机关编号（本数据库内）",
            "name": "机关名称",
            "slug": "机关页面网址中的英文名",
            "kind": "类别：government 人民政府、office 政府办公室、department 政府部门、town 乡镇（街道）、unknown 未分类",
            "province": "省级行政区",
            "city": "地级行政区",
            "county": "县级行政区",
            "region_code": "最低一级地区的行政区划代码（GB/T 2260）",
        },
    },
    "reports": {
        "description": "每份年度报告一行。",
        "label_column": "title",
        "facets": ["year", "province", "agency_id", "format"],
        "sort_desc": "year",
        "columns": {
            "id": "报告编号（由来源文件路径生成，重建时不变）",
            "agency_id": "发布机关（agencies 表）",
            "agency_as_printed": "报告中写的机关名称",
            "title": "报告标题",
            "year": FACET_COLUMNS["year"],
            "province": "省级行政区",
            "city": "地级行政区",
            "county": "县级行政区",
            "publication_date": "发布日期（原文有注明时）",
            "format": "表格格式：2021（国办公开办函〔2021〕30号）或 2019（试行格式）",
            "source": "来源文件（相对内容文件夹的路径）",
            "source_format": "来源文件格式：txt、md、html、pdf、docx",
            "sha256": "来源文件的 SHA-256",
            "page": "网站中报告页面的路径",
            "findings": "检查发现的条数",
            "tables_complete": "三张统计表是否齐全完整（1 是，0 否）",
        },
    },
    "sections": {
        "description": "报告的六个部分及其各级小节的正文。全文检索在标题和 jieba 分词后的正文上进行（sections_fts），词与词之间用空格分开，如：政策 解读。",
        "facets": ["part", "level"],
        "fts_table": "sections_fts",
        "fts_pk": "id",
        "columns": {
            "id": "编号",
            "report_id": "报告（reports 表）",
            "anchor": "小节在报告页面中的锚点",
            "part": "所在部分：一 至 六（2019 年以前的报告按含义对应，没有对应的为空）",
            "level": "层级：1 为部分，2 为（一）级小节，依此类推",
            "number": "原文编号，如 一、（一）、1.",
            "title": "小节标题（不含编号）",
            "heading": "从部分到本小节的标题路径",
            "text": "本小节自身的正文（不含下级小节），段落之间换行",
        },
    },
    "cells": {
        "description": "三张统计表的长表：每份报告的每个单元格一行。缺失的单元格（原文没有）state 为 missing、value 为空，不等于 0。"
        "行和列的官方名称见视图 cells_labelled。数据量大时，请先按 table_key、row、column 筛选，再按年度、地区、机关分面。",
        "facets": ["table_key", "year", "province", "agency_id", "state"],
        "columns": {
            "report_id": "报告（reports 表）",
            "table_key": "表格：active 主动公开（表二）、requests 依申请公开（表三）、review_litigation 复议诉讼（表四）",
            "row": "行键（schema_rows 表）",
            "column": "列键（schema_columns 表）",
            "value": "数值；收费金额单位为万元，可带小数；非数字或缺失时为空",
            "raw": "原文中的写法（数字连写拆分而得的格：整行连写的数字）",
            "inferred": "1：原文这一行的数字连写在一起，本格数值由表内合计关系推算拆分（由合计推算）",
            "ocr_confidence": "内容由 OCR 识别时，识别本格的置信度（0–1）",
            "state": "number 数字、text 原文不是数字（如“/”“—”“无”或空白）、missing 原文缺失该格",
            "year": FACET_COLUMNS["year"],
            "province": FACET_COLUMNS["province"],
            "agency_id": FACET_COLUMNS["agency_id"],
        },
    },
    "cells_labelled": {
        "description": "视图：cells 加上行和列的官方名称（来自 schema_rows、schema_columns）。",
        "facets": ["table_key", "year", "province"],
        "columns": {
            "row_group": "行所属的分组，如 三、本年度办理结果 下的（三）不予公开",
            "row_label": "行的官方名称",
            "column_label": "列的官方名称",
        },
    },
    "findings": {
        "description": "检查发现：勾稽关系、合计、跨年度结转、正文与表格数字不一致、缺失的部分和表格等。",
        "facets": ["code", "severity", "table_key", "year", "province"],
        "columns": {
            "id": "编号",
            "report_id": "报告（reports 表）",
            "code": "发现的类别代码，如 requests_balance、text_table_mismatch",
            "severity": "严重程度：error 错误、warning 警告、info 提示",
            "message": "说明",
            "table_key": "涉及的表格",
            "row": "涉及的行键",
            "column": "涉及的列键",
            "section": "涉及的小节锚点",
            "year": FACET_COLUMNS["year"],
            "province": FACET_COLUMNS["province"],
            "agency_id": FACET_COLUMNS["agency_id"],
        },
    },
    "themes": {
        "description": "主题表（content/themes.toml）。",
        "label_column": "name",
        "columns": {
            "slug": "主题的英文名",
            "name": "主题名称",
            "description": "说明",
            "keywords": "关键词（顿号分隔）",
            "patterns": "正则表达式（每行一个）",
        },
    },
    "theme_sentences": {
        "description": "第五部分和第一部分中提到主题的句子，每句一行，themes 列出它的全部主题。",
        "facets": [{"array": "themes"}, "part", "year", "province", "agency_id"],
        "columns": {
            "id": "编号",
            "report_id": "报告（reports 表）",
            "themes": "句子的主题（themes 表的 slug，JSON 数组）",
            "part": "所在部分：一（总体情况）或 五（存在的主要问题及改进情况）",
            "anchor": "所在小节的锚点",
            "paragraph": "所在段落（小节内从 1 起）",
            "text": "句子",
            "year": FACET_COLUMNS["year"],
            "province": FACET_COLUMNS["province"],
            "agency_id": FACET_COLUMNS["agency_id"],
        },
    },
    "similar_passages": {
        "description": "第一部分和第五部分每个段落在其他机关报告中最相似的段落（同一机关其他年度的报告不算）。",
        "facets": ["copied", "other_part"],
        "columns": {
            "id": "编号",
            "report_id": "报告（reports 表）",
            "anchor": "段落所在小节的锚点",
            "paragraph": "段落（小节内从 1 起）",
            "other_report_id": "相似段落所在的报告（reports 表）",
            "other_part": "相似段落所在的部分",
            "other_anchor": "相似段落所在小节的锚点",
            "other_paragraph": "相似段落（小节内从 1 起）",
            "similarity": "相似度：两段文字的词（jieba 分词，两字以上，不含数字）集合的 Jaccard 系数，0 到 1",
            "copied": "相似度不低于 0.8，视为照搬（1 是，0 否）",
        },
    },
    "schema_rows": {
        "description": "三张统计表的行：行键与官方名称。",
        "facets": ["table_key"],
        "columns": {"table_key": "表格", "row": "行键", "label": "官方名称", "group_label": "所属分组"},
    },
    "schema_columns": {
        "description": "三张统计表的列：列键与官方名称。",
        "facets": ["table_key"],
        "columns": {"table_key": "表格", "column": "列键", "label": "官方名称", "group_label": "所属分组"},
    },
}


def datasette_metadata() -> dict[str, Any]:
    tables = json.loads(json.dumps(TABLES))  # a copy the caller may change
    return {
        "title": "政府信息公开工作年度报告档案库",
        "description": "各级行政机关政府信息公开工作年度报告的全文、统计表、检查发现、主题和相似表述。"
        f"统计表的行和列见 schema_rows、schema_columns 表（数据格式 {schema.load_schema().get('format')}）。",
        "databases": {DATABASE: {"tables": tables}},
    }


def metadata_bytes() -> bytes:
    return (json.dumps(datasette_metadata(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
