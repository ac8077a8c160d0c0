# 政府信息公开工作年度报告档案库 — every task of the project.
# On a fresh machine: `make site` then `make test`. Everything is installed into .venv by these targets.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
CONTENT ?= content
OUT     ?= output
INDEX   ?= var/index

.PHONY: install browser-deps site test lint bench fuzz screenshots serve clean real-report

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

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
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,bench]'
	$(BIN)/python bench/run.py
	$(BIN)/python bench/build_site.py
	$(BIN)/python bench/real_reports.py
	$(BIN)/python bench/cold_start.py
	$(BIN)/python bench/ocr.py

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
