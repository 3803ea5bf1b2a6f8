PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install serve test lint bench chaos screenshots clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade wheel "setuptools<81"
	$(BIN)/pip install -q -c constraints.txt -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

serve: $(STAMP)
	$(BIN)/deepfakesweb serve

test: $(STAMP)
	scripts/test.sh

lint: $(STAMP)
	$(BIN)/ruff check deepfakesweb tests bench
	$(BIN)/mypy deepfakesweb

bench: $(STAMP)
	$(BIN)/python bench/engine.py
	$(BIN)/python bench/api.py

# The chaos run needs the scaled backends (scripts/services.sh starts them).
chaos: $(STAMP)
	eval "$$(scripts/services.sh start)"; $(BIN)/python bench/chaos.py; scripts/services.sh stop

# One PNG per dashboard page under docs/screenshots/ (headless Debian chromium; not part of `make test`).
screenshots: $(STAMP)
	$(BIN)/python -m tests.web.screenshots docs/screenshots

clean:
	rm -rf $(VENV) data
