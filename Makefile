# Two commands: `make demo` (install, then serve the demo portals on http://127.0.0.1:8000/)
# and `make test` (install everything, including Debian's redis-server and chromium, then run
# the whole suite). CI runs `make test` through .ci/run.

PYTHON ?= python3
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := redis-server chromium

.PHONY: install system-deps python-deps node-deps test demo bench clean

system-deps:
	@missing=""; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	if [ -n "$$missing" ]; then \
		echo "installing$$missing with apt"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

python-deps:
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -e '.[test]'

node-deps:
	@if [ -f package.json ]; then npm install --no-audit --no-fund --loglevel=error; fi

install: system-deps python-deps node-deps

test: install
	$(PYTHON) -m pytest

demo: install
	CMP_DEMO=true CMP_SECRET_KEY=$${CMP_SECRET_KEY:-demo-only-secret-change-me} $(PYTHON) -m cmp.cli serve --host 127.0.0.1 --port 8000

clean:
	rm -rf build dist *.egg-info .pytest_cache
