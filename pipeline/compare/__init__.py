"""Compare many notices at once: a matrix of criteria (rows) by notices (columns).

``matrix.build`` matches criteria across notices by meaning, with the diff's
matching passes (``pipeline.diff.match``), so a criterion that moved to
another clause, or whose number changed, stays on its row. Renderers for
HTML, Markdown, JSON and Excel live beside it; ``charts`` draws the rows that
are numbers as trend charts.
"""
