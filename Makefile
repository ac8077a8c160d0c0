# 政府信息公开工作年度报告档案库 — every task of the project.
# On a fresh machine: `make site` then `make test`. Everything is installed into .venv by these targets.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
CONTENT ?= content
OUT     ?= output
INDEX   ?= var/index

.PHONY: install lock browser-deps site test lint bench bench-50k fuzz screenshots serve clean real-report

install: $(STAMP)

# Every package, transitive ones included, at the version requirements.lock pins (make lock writes it
# from pyproject.toml); then the project itself, which brings nothing more.
$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "pip-tools==7.6.2"
	$(BIN)/pip-compile --quiet --all-extras --strip-extras --no-emit-index-url --no-emit-find-links \
		--output-file requirements.lock pyproject.toml

browser-deps:
	bash scripts/install-browser-deps.sh

site: install
	$(BIN)/archive ingest $(CONTENT) --index $(INDEX) || test $$? -eq 3
	$(BIN)/archive build --content $(CONTENT) --index $(INDEX) --out $(OUT) || test $$? -eq 3

lint: install
	$(BIN)/ruff check archive site_builder tests bench tools scripts

test: install browser-deps lint
	$(BIN)/pytest -n 2 -q -p no:cacheprovider

bench: install browser-deps
	$(BIN)/python bench/run.py
	$(BIN)/python bench/build_site.py
	$(BIN)/python bench/real_reports.py
	$(BIN)/python bench/cold_start.py
	$(BIN)/python bench/ocr.py

# The 50,000-report archive (issue 15): synthesis and ingest take about an hour on 2 cores, the build
# about a quarter; its full build is measured beside the 1,000 and 10,000 of `make bench`.
bench-50k: install
	$(BIN)/python bench/build_site.py --sizes 50000 --full-only 50000

real-report: install
	$(BIN)/python bench/real_reports.py

fuzz: install
	$(BIN)/python tests/fuzz/run.py --minutes 10

screenshots: install browser-deps site
	$(BIN)/python tools/screenshots.py --site $(OUT) --out docs/screenshots

serve: install
	$(BIN)/archive serve --out $(OUT)

clean:
	rm -rf $(OUT) var .pytest_cache
