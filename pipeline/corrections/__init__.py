"""Corrections: the analysts' layer above the machine output, kept as data and applied on every ingest.

A record folder ``DIR`` keeps the corrections of its record ``DIR/x.txt.json`` in
``DIR/corrections/x.txt.jsonl``: one JSON object per line, one line per change, in the order they
were made. The file is found again by the record's *name*, which comes from the notice's path
relative to the input root, not from ``record_id`` (whose hash changes with every byte of the
raw file): an edited notice keeps its corrections, and each correction then finds its fact by
the fact's stable id (``pipeline.fact_ids``) or is reported as stale. See ``model`` for the line
format, ``apply`` for what happens on ingest, ``cli`` for the commands.
"""
