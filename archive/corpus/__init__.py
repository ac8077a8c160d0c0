"""What is worked out across the reports of the whole archive, from the index's stored analysis:
similar passages in other agencies' reports (``similar``) and keywords for the sentences no theme
covers (``suggest``). Above the index layer: it reads what the ingest stored, the index never calls it.
"""
