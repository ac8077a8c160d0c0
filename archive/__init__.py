"""政府信息公开工作年度报告档案库: read, parse, normalise, check and index annual reports."""

__version__ = "0.1.0"
