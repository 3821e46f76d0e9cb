# Two commands set everything up: `make build` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: build test typecheck eval bench screenshot clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,bench]'
	touch $(STAMP)

build: $(STAMP)  ## set up, then build the bundled corpus into output/
	$(VENV)/bin/kg build

test: $(STAMP)  ## set up, then run every test
	$(PY) -m pytest -q

typecheck: $(STAMP)  ## mypy over the modules kept clean (pyproject's [tool.mypy] files)
	$(PY) -m mypy

eval: build  ## score the build against ../shared/eval (when present)
	$(PY) ../shared/eval/score.py output/graph.trig --gold ../shared/eval/gold -v

bench: $(STAMP)  ## print the performance figures
	$(PY) benchmarks/run.py

screenshot: build  ## write output/graph.png from the rendered page in headless Chromium
	$(PY) scripts/screenshot.py output/graph.html output/graph.png

clean:
	rm -rf output/graph.* .kg-cache
