# hoteldesk — set-up, demo and tests on a fresh Debian/Ubuntu machine.
#   make demo   .venv, the package, the Debian packages the demo needs, then `hoteldesk demo`
#   make test   the same plus what the tests need, then ruff, lint-imports (the layers), mypy --strict and pytest
#   make test-otherday   a fast part of the suite under faketime, the machine's clock on 2027-01-01 (not in make test)

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Debian packages: LibreOffice (PDF), Ghostscript (fax TIFF), poppler (pdftotext/pdftoppm),
# CJK fonts (Chinese in PDFs), python3-uno for the persistent converter (unoserver).
# Tesseract (eng + chi_sim) reads the 确认号 on faxed-back slips (issue 17); DejaVu draws the demo's filled-in pages.
DEMO_DEBS := libreoffice-writer-nogui libreoffice-calc-nogui python3-uno ghostscript poppler-utils fonts-noto-cjk fontconfig tesseract-ocr tesseract-ocr-chi-sim fonts-dejavu-core
# Tests also talk to real servers: Dovecot (IMAP), the HylaFAX client, PostgreSQL (issue 16: the tests
# start a throw-away cluster with its initdb/pg_ctl, tests/pgcluster.py).
TEST_DEBS := $(DEMO_DEBS) dovecot-imapd hylafax-client openssl postgresql
# faketime runs tests/test_other_day.py's children (and make test-otherday) on another date.
TEST_DEBS += faketime

.PHONY: demo test venv debs-demo debs-test lint typecheck pytest pytest-pg test-otherday bench clean

$(BIN)/hoteldesk: pyproject.toml
	@[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	@touch $@

venv: $(BIN)/hoteldesk

# Install the missing Debian packages only (dpkg -s tells what is there).
define install_debs
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
endef

debs-demo:
	$(call install_debs,$(DEMO_DEBS))

debs-test:
	$(call install_debs,$(TEST_DEBS))

demo: venv debs-demo
	$(BIN)/hoteldesk demo demo-drive

lint: venv
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports

typecheck: venv
	$(BIN)/mypy src

pytest: venv debs-test
	$(BIN)/pytest

# The suite again with every test drive's journal in the throw-away PostgreSQL (issue 16); tests/journal
# already runs on both engines in `make test`.
pytest-pg: venv debs-test
	$(BIN)/pytest --journal-engine=postgresql

test: venv debs-test lint typecheck pytest

# The machine's clock moved to another date, running on from there (README: Running the suite on another date):
# the clock, the watcher and the daemon, the drop folder, write-backs, the CLI. OTHERDAY='@2027-06-30 23:59:00' to move it elsewhere.
OTHERDAY ?= @2027-01-01 09:00:00
OTHERDAY_TESTS := tests/test_clock.py tests/test_other_day.py tests/test_cli.py tests/automations/test_daemon.py \
	tests/automations/test_daemon_watch.py tests/inbox_watchers/test_dropfolder.py tests/workbooks/test_writeback_kill.py \
	tests/workbooks/test_pending.py tests/automations/test_clocks_journal.py

test-otherday: venv debs-test
	faketime -f '$(OTHERDAY)' $(BIN)/pytest -q -p no:cacheprovider $(OTHERDAY_TESTS)

bench: venv debs-test
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) demo-drive .pytest_cache .mypy_cache .ruff_cache
