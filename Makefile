# RPMA — the commands of README.md. `make help` lists them.

SHELL := /bin/bash
.DEFAULT_GOAL := help

# One target dir outside the clone, shared by CI runs and local work (cold builds are slow).
export CARGO_TARGET_DIR ?= $(HOME)/.cache/rpma/target
CARGO ?= cargo
# One way to build, for every command: the whole workspace with all features. Cargo resolves the
# features of shared dependencies per invocation, so building one package alone (or without a
# feature) compiles about a hundred crates again; built alike, each command reuses what the last
# one built (`make serve` right after `make test` compiles nothing).
BUILD := $(CARGO) build --workspace --all-features --locked
DEBUG := $(CARGO_TARGET_DIR)/debug

# Debian packages the build and the tests need; installed only when missing.
APT_BUILD := build-essential pkg-config curl jq libssl-dev
# Tauri's Linux toolkit (the shell).
APT_DESKTOP := libwebkit2gtk-4.1-dev libgtk-3-dev libayatana-appindicator3-dev librsvg2-dev libsoup-3.0-dev
# The desktop end-to-end test: a virtual display, a window manager, a session bus, X tools.
APT_E2E := xvfb openbox dbus-x11 dbus-bin libglib2.0-bin xdotool wmctrl x11-utils imagemagick procps webkit2gtk-driver python3
# Browser end-to-end tests: Debian's Chromium (playwright-core drives it; nothing is downloaded).
APT_BROWSER := chromium
APT_BENCH := wrk
# The sidecar's tests read the intervention report PDF back with pdftotext.
APT_TEST := poppler-utils
# API fuzzing: a Python to make the venv with (schemathesis itself comes from PyPI, pinned).
APT_FUZZ := python3 python3-venv

SIDECAR_ARGS ?= --host 127.0.0.1 --port 1430 --data-dir ./.data
# Extra flags of `make seed`, e.g. SEED_ARGS='--force --password Demo12345' (see rpma-seed --help).
SEED_ARGS ?=

.PHONY: help deps frontend dev run serve seed seed-ops team-server team-server-stop test test-postgres test-frontend test-browser test-desktop test-fuzz lint openapi openapi-check bench bundle

help: ## List the commands
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

deps: ## Install missing system packages and Rust tools
	@scripts/ensure-apt.sh $(APT_BUILD) $(APT_DESKTOP)
	@command -v cargo-nextest >/dev/null || $(CARGO) install cargo-nextest --locked
	@command -v cargo-deny >/dev/null || $(CARGO) install cargo-deny --locked
	@rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy rustfmt

# npm ci when the lock file is newer than the installed tree (or nothing is installed).
node_modules/.package-lock.json: package-lock.json package.json frontend/package.json
	npm ci --no-audit --no-fund

# The shell embeds frontend/dist when it is compiled: build the frontend first.
frontend: node_modules/.package-lock.json ## Build the frontend into frontend/dist
	npm run build

run: deps frontend ## Build and start the desktop app (shell + sidecar, data in the app's data dir)
	$(BUILD) --bins
	$(DEBUG)/rpma-shell

# The workspace build includes the shell, which embeds frontend/dist: hence `frontend`.
serve: deps frontend ## Run the sidecar alone on 127.0.0.1:1430 (data in ./.data) for curl
	$(BUILD) --bins
	$(DEBUG)/rpma-sidecar $(SIDECAR_ARGS)

# Release: a debug SQLite writes 100,000 tasks several times slower. The same release build as
# `make bench` without the shell (whose thin-LTO build is the long one).
RELEASE_SIDECAR := $(BUILD) --release --exclude rpma-shell --bins
seed: deps ## Fill the database in ./.data with demo data (5,000 clients, 100,000 tasks)
	$(RELEASE_SIDECAR)
	$(CARGO_TARGET_DIR)/release/rpma-seed --data-dir ./.data $(SEED_ARGS)

# Days of line telemetry in `make seed-ops`, e.g. TELEMETRY_DAYS=365 (what `make bench` uses).
TELEMETRY_DAYS ?= 7
seed-ops: deps ## Load the demo plant into ./.data: four runbooks, two lines, a week of telemetry, inventory, packs, open exceptions
	$(RELEASE_SIDECAR)
	$(CARGO_TARGET_DIR)/release/rpma-seed --data-dir ./.data --ops-demo --telemetry-days $(TELEMETRY_DAYS)

# A local trial of a team server: PostgreSQL of Debian's package on loopback port 55432 (data in
# /tmp/rpma-postgres-55432), a database `rpma` there, and the sidecar on it in the foreground.
TEAM_ARGS ?= --host 127.0.0.1 --port 1431 --data-dir ./.team
team-server: deps frontend ## Start PostgreSQL and the sidecar on it (Ctrl-C stops the sidecar; make team-server-stop stops PostgreSQL)
	$(BUILD) --bins
	@url=$$(scripts/postgres.sh start); \
	  psql "$$url" -tAc "SELECT 1 FROM pg_database WHERE datname = 'rpma'" | grep -q 1 || \
	    psql "$$url" -qc "CREATE DATABASE rpma"; \
	  echo "team server on PostgreSQL $${url%/*}/rpma; Ctrl-C stops the sidecar, 'make team-server-stop' stops PostgreSQL"; \
	  $(DEBUG)/rpma-sidecar $(TEAM_ARGS) --database-url "$${url%/*}/rpma"

team-server-stop: ## Stop the PostgreSQL server of make team-server (its data stays in /tmp/rpma-postgres-55432)
	scripts/postgres.sh stop

dev: deps node_modules/.package-lock.json ## Vite on 127.0.0.1:1420 with hot reload, and the shell pointing at it
	$(BUILD) --bins
	@# Without `custom-protocol` the window loads the dev server: a build of its own.
	$(CARGO) build -p rpma-shell --bin rpma-shell --no-default-features
	npm run dev -w frontend & vite=$$!; trap "kill $$vite" EXIT; \
	  until curl -sf http://127.0.0.1:1420 >/dev/null; do sleep 0.2; done; \
	  $(DEBUG)/rpma-shell

test: deps frontend lint openapi-check ## Everything CI runs
	$(BUILD) --bins
	@scripts/ensure-apt.sh $(APT_TEST)
	$(CARGO) nextest run --workspace --all-features --locked --no-fail-fast -E 'not (binary(schema) | binary(team) | binary(moving))'
	$(MAKE) test-postgres test-frontend test-browser test-desktop test-fuzz

# The sidecar's suite again on PostgreSQL (each test copies a migrated template database), and
# the check that both migration sets give one schema. Tests of the SQLite file itself (WAL,
# read-only readers, a corrupt file, kill -9 on the file, the seed's bulk load) and of the
# process over its own data dir (its HTTPS too) stay on the first pass.
SQLITE_ONLY := binary(crash) | binary(process) | binary(hostile) | binary(db) | binary(seed) | binary(tls)
test-postgres: ## The sidecar's integration suite on a PostgreSQL server of Debian's package (loopback, port 55432)
	$(BUILD) --bins
	RPMA_PG_FAST=1 scripts/postgres.sh start
	RPMA_TEST_DATABASE_URL=$$(scripts/postgres.sh url) $(CARGO) nextest run --workspace \
	  --all-features --locked --no-fail-fast -E 'package(rpma-sidecar) - ($(SQLITE_ONLY))'

test-frontend: node_modules/.package-lock.json ## Type check and unit tests of the frontend
	npm run typecheck
	npm test

test-browser: frontend ## Browser end-to-end tests: built frontend + real sidecar + Debian's Chromium
	@scripts/ensure-apt.sh $(APT_BROWSER)
	RPMA_SIDECAR=$(DEBUG)/rpma-sidecar npm run e2e -w frontend

test-desktop: ## The desktop end-to-end test under Xvfb + openbox (after a build)
	@scripts/ensure-apt.sh $(APT_E2E)
	@command -v tauri-driver >/dev/null || $(CARGO) install tauri-driver --locked
	scripts/desktop-e2e.sh $(DEBUG)

# The fuzzer's venv, outside the clone next to the target dir; remade when the pins change.
FUZZ_VENV := $(CARGO_TARGET_DIR)/../fuzz-venv

$(FUZZ_VENV)/requirements.txt: scripts/fuzz/requirements.txt
	@scripts/ensure-apt.sh $(APT_FUZZ)
	rm -rf $(FUZZ_VENV)
	python3 -m venv $(FUZZ_VENV)
	$(FUZZ_VENV)/bin/pip install --quiet --disable-pip-version-check --no-deps -r $<
	cp $< $@

test-fuzz: $(FUZZ_VENV)/requirements.txt ## API fuzzing: schemathesis from openapi/openapi.json against the real sidecar, as admin
	$(BUILD) --bins
	$(FUZZ_VENV)/bin/python scripts/fuzz/run.py $(DEBUG)/rpma-sidecar

lint: deps frontend ## rustfmt check, clippy with warnings as errors (the shell needs frontend/dist), cargo deny
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets --all-features --locked -- -D warnings
	@# Licences, duplicate versions and sources; the advisory database is on github.com, which
	@# this machine cannot reach (see deny.toml). deny reads the metadata of every platform's
	@# crates, so those are fetched first (a build only fetches the host's).
	$(CARGO) fetch --locked
	$(CARGO) deny --locked --offline check licenses bans sources

# Each generated document: the binary that prints it.
OPENAPI_DOCS := openapi.json:rpma-openapi shell.json:rpma-shell-openapi

openapi: deps frontend ## Regenerate openapi/*.json from the code, and the frontend's API types from them
	$(BUILD) --bins
	@for doc in $(OPENAPI_DOCS); do \
	  $(DEBUG)/$${doc#*:} > openapi/$${doc%%:*}.tmp && mv openapi/$${doc%%:*}.tmp openapi/$${doc%%:*} || exit 1; \
	done
	npm run openapi

openapi-check: frontend ## Fail when openapi/*.json differ from what the code generates
	$(BUILD) --bins
	@for doc in $(OPENAPI_DOCS); do \
	  $(DEBUG)/$${doc#*:} > $(CARGO_TARGET_DIR)/$${doc%%:*} || exit 1; \
	  diff -u openapi/$${doc%%:*} $(CARGO_TARGET_DIR)/$${doc%%:*} \
	    || { echo "openapi/$${doc%%:*} is stale: run 'make openapi' and commit it"; exit 1; }; \
	done
	@npx openapi-typescript openapi/openapi.json -o $(CARGO_TARGET_DIR)/schema.d.ts >/dev/null
	@diff -u frontend/src/api/schema.d.ts $(CARGO_TARGET_DIR)/schema.d.ts \
	  || { echo "frontend/src/api/schema.d.ts is stale: run 'make openapi' and commit it"; exit 1; }

bench: deps frontend ## Benchmarks of the release build: start-up, memory, requests/s, sign-in, tasks at scale, stock, the plant on a year of telemetry, mixed load, shell, window round trip
	@scripts/ensure-apt.sh $(APT_BENCH) $(APT_E2E)
	@# One release build for every part that runs (the shell's, thin LTO, is the long one: only
	@# when its part runs), so shared dependencies are compiled once.
	@if [[ -z "$$BENCH_ONLY" || ",$${BENCH_ONLY// /}," == *,shell,* ]]; then \
	  $(BUILD) --release --bins --examples; \
	else \
	  $(RELEASE_SIDECAR) --examples; \
	fi
	python3 scripts/bench.py $(CARGO_TARGET_DIR)/release

HOST_TRIPLE = $(shell rustc -vV | sed -n 's/^host: //p')

bundle: deps frontend ## A .deb of the desktop app, with the sidecar inside (Tauri externalBin)
	$(RELEASE_SIDECAR)
	mkdir -p tauri/binaries
	cp $(CARGO_TARGET_DIR)/release/rpma-sidecar tauri/binaries/rpma-sidecar-$(HOST_TRIPLE)
	@command -v cargo-tauri >/dev/null || $(CARGO) install tauri-cli --version '^2' --locked
	cd tauri && $(CARGO) tauri build --config tauri.bundle.conf.json --bundles deb
	@ls -1 $(CARGO_TARGET_DIR)/release/bundle/deb/*.deb
