# Doumen social-governance portal. `make run` and `make test` do all the set-up on a fresh machine.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.requirements-installed
RUN_DEBS := fonts-noto-cjk libharfbuzz-subset0
TEST_DEBS := $(RUN_DEBS) chromium

.PHONY: run port-free test bench bench-data lint messages venv system-deps

PORT ?= 8000

run: port-free $(STAMP)
	@$(MAKE) --no-print-directory system-deps DEBS="$(RUN_DEBS)"
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --skip-if-not-demo
	PORTAL_URL=$${PORTAL_URL:-http://127.0.0.1:$(PORT)} $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Fail at once, before installing and seeding, when another program already listens on the port.
port-free:
	@if (exec 3<>/dev/tcp/127.0.0.1/$(PORT)) 2>/dev/null; then \
	  echo "Port $(PORT) is in use: run 'make run PORT=8001' (or another free port)."; exit 1; fi

test: $(STAMP)
	@$(MAKE) --no-print-directory system-deps DEBS="$(TEST_DEBS)"
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Load benchmark of every list against /healthz/live (gunicorn + wrk); see bench/README.md.
bench: $(STAMP)
	@$(MAKE) --no-print-directory system-deps DEBS="wrk"
	$(BIN)/python bench/load.py

# A province-sized PostgreSQL database for the benchmark (DATABASE_URL names it); see bench/README.md.
bench-data: $(STAMP)
	$(BIN)/python bench/generate.py

# Extract translatable strings into locale/zh_Hans and compile the catalog (needs GNU gettext).
messages: $(STAMP)
	$(BIN)/python manage.py makemessages --locale zh_Hans --ignore ".venv/*" --ignore "tests/*" --ignore "bench/*" --no-obsolete
	$(BIN)/python manage.py compilemessages --locale zh_Hans --ignore ".venv/*"

venv: $(STAMP)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

# Debian packages the portal needs: CJK fonts and HarfBuzz subsetting for PDFs, Chromium for browser
# tests. Installed when we are root on Debian; otherwise the one command to run is printed.
system-deps:
	@if ! command -v dpkg-query >/dev/null 2>&1; then \
	  echo "Not a Debian system: make sure these are installed: $(DEBS)"; exit 0; fi; \
	missing=""; for pkg in $(DEBS); do \
	  dpkg-query -W -f='$${Status}' $$pkg 2>/dev/null | grep -q "ok installed" || missing="$$missing $$pkg"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else \
	    echo "Missing Debian packages. Run: sudo apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi
