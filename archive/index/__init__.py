"""The search index: every section and table row of every report, in Whoosh, segmented with jieba.

Modules: ``analysis`` (the one analyzer and its dictionary), ``schema`` (the fields),
``documents`` (a report as documents), ``store`` (the index folder, its generations and the
stored reports: ``read_reports``, ``default_index_dir``), ``ingest`` (incremental, parallel,
safe ingest), ``lock`` and ``orphans`` (one ingest at a time; workers die with it), ``query``
(the query language), ``search`` (filters, ranking, suggestions), ``snippet`` (highlighting).
"""
