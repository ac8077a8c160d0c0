"""OCR for pages without a text layer: page images → text boxes and ruled tables → blocks.

``pages`` gives page images (PDF pages rendered, image files decoded), ``scan`` reads one
image (engine, skew, ruling lines), ``run`` reads a file's pages in parallel through
``cache``, and ``layout`` turns the readings into the headings, paragraphs and table grids
of a ``Document``, like every other reader's.
"""
