# Two commands: `make demo` (install the service, load a demo admin and 60 days of synthetic
# decisions with `cmpctl demo-data`, then serve the demo portals and the console on
# http://127.0.0.1:8000/) and `make test` (install everything the tests use, Debian's
# redis-server and chromium included, then lint and run the whole suite in four pytest workers).
# CI runs `make test` through .ci/run.
#
# Python packages go into a project virtual environment, .venv/ (never into the system Python:
# Debian's python3 refuses that, PEP 668). apt is used only for what is missing: python3-venv
# (to create .venv), redis-server and chromium (for the tests). npm installs the build and test
# tools of package.json into node_modules/ (make test only).

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: venv demo-deps test-deps system-deps node-deps lint test demo clean

define apt_install
	echo "installing $(1) with apt"; \
	$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(1)
endef

# The virtual environment, created by whichever python3 is first on PATH (Debian's, pyenv's, a venv's).
$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python >= 3.11 is needed ($(PYTHON) is $$($(PYTHON) -V 2>&1))"; exit 2; }
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || { $(call apt_install,python3-venv); }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip

venv: $(PY)

system-deps:
	@missing=""; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	if [ -n "$$missing" ]; then $(call apt_install,$$missing); fi

node-deps:
	npm ci --no-audit --no-fund --loglevel=error

demo-deps: $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -e .

test-deps: $(PY) system-deps node-deps
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[scanner,redis,test]'

lint: test-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/vulture

# pytest-xdist: most of the suite's time is spent waiting (pages settling, workers picking up
# scans), so a few workers share even two cores well. Each worker starts its own redis-server and
# services on free ports; whole files go to one worker (--dist loadfile), so a module's expensive
# fixtures (a served site, a scan several tests read) are made once.
PYTEST_WORKERS ?= 4

test: lint
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadfile

demo: demo-deps
	$(VENV)/bin/cmpctl demo-data
	@echo "Demo portals: http://127.0.0.1:8000/demo/amex-portal/ and http://127.0.0.1:8000/demo/milleis/"
	@echo "Compliance console: http://127.0.0.1:8000/console/ (log in with the demo admin above)"
	@echo "API: http://127.0.0.1:8000/v1/openapi.json  (Ctrl-C stops the server)"
	CMP_DEMO=true CMP_SECRET_KEY=$${CMP_SECRET_KEY:-demo-only-secret-change-me} $(VENV)/bin/cmpctl serve --host 127.0.0.1 --port 8000

clean:
	rm -rf build dist *.egg-info .pytest_cache $(VENV) node_modules
