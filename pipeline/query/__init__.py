"""Across records: the tables analysts query (pandas, DuckDB SQL, Excel/Parquet/CSV) and the review pages.

Nothing here is imported by ``ingest``; pandas, DuckDB and spaCy load only when a
function that needs them runs.
"""
