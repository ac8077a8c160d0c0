"""The static website: ``build.build`` turns the parsed reports into a folder of HTML, CSV and JSON.

Stages (one module each): ``sources`` (reports from the index or the content folder), ``archive.agencies``
(reports grouped into agencies), ``pages/`` (one module per kind of page), ``templates/`` and ``static/``,
``links`` (every link checked), ``writer`` (staged beside the old site, unchanged files kept, atomic swap).
"""
