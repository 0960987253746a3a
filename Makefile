# Every target sets itself up: a fresh machine needs only Python 3.11, pip and make.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
RAW    ?= data/raw
OUT    ?= data/structured
SHARED ?= ../shared

.PHONY: setup ingest test lint bench accuracy diff report browser office clean

setup: $(STAMP)

# the editable install also compiles pipeline/load/_charboxes.c in place: a changed .c reinstalls
$(STAMP): pyproject.toml setup.py pipeline/load/_charboxes.c
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,ray]'
	touch $(STAMP)

ingest: $(STAMP)
	$(PY) -m pipeline ingest $(RAW) --out $(OUT)

# Debian's chromium for the tests that look at rendered pages (diff/review/report HTML), and a CJK
# font (fonts-wqy-microhei) that the trend charts draw Chinese with; skipped quietly where apt-get
# is not available: browser tests then skip with the reason, charts are left out with a warning.
browser:
	@{ command -v chromium >/dev/null 2>&1 && fc-list :lang=zh | grep -q . ; } || { command -v apt-get >/dev/null 2>&1 && \
	  (apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null) || \
	  echo "chromium or fonts-wqy-microhei not installed: browser tests skipped, charts left out"; }

# LibreOffice Writer converts .doc/.wps/.rtf/.odt for the office reader (load/office.py); Calc only
# saves the .xls/.ods test fixtures (load/sheet.py reads spreadsheets without it). The headless
# packages where Debian has them, else the full ones; quiet, idempotent, skipped without apt-get.
office:
	@{ command -v soffice >/dev/null 2>&1 && ls /usr/lib/libreoffice/program/libsclo.so >/dev/null 2>&1; } || \
	{ command -v apt-get >/dev/null 2>&1 && \
	  (apt-get update -qq >/dev/null && sfx=-nogui && \
	   { apt-cache policy libreoffice-writer-nogui 2>/dev/null | grep -q 'Candidate: [0-9]' || sfx=; } && \
	   DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	     libreoffice-writer$$sfx libreoffice-calc$$sfx >/dev/null) || \
	  echo "LibreOffice not installed: .doc/.wps/.rtf/.odt/.xls tests will be skipped"; }

test: lint browser office
	$(PY) -m pytest

lint: $(STAMP)
	$(PY) -m ruff check pipeline tests scripts bench
	$(PY) -m ruff format --check pipeline tests scripts bench
	$(PY) -m mypy pipeline

bench: $(STAMP)
	$(PY) bench/bench.py
	$(PY) bench/formats.py
	$(PY) bench/ocr.py
	$(PY) bench/ray_pages.py
	$(PY) bench/hostile.py
	$(PY) bench/duplicates.py
	# 100,000 synthetic records (~8 GB in a temporary folder) for the query store: cold build, updates
	$(PY) bench/query.py

accuracy: $(STAMP)
	$(PY) scripts/accuracy.py --shared $(SHARED)

# no echo of the command: `make diff FORMAT=json > f` must be JSON only
diff: $(STAMP)
	@$(PY) -m pipeline diff $(A) $(B) $(if $(FORMAT),--format $(FORMAT))

report: $(STAMP) browser
	$(PY) -m pipeline report --data $(OUT)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache build *.egg-info
	find pipeline -name '*.so' -delete
