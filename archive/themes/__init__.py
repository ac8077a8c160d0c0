"""Themes: the recurring subjects of part 五 (问题与改进) and of part 一's sub-sections.

Staff keep the list in ``content/themes.toml`` (``config``); every sentence of parts 一 and 五 is
tagged with the themes whose keywords or patterns it contains (``tagging``), at ingest.
"""
