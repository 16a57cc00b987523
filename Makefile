# RPMA — the commands of README.md. `make help` lists them.

SHELL := /bin/bash
.DEFAULT_GOAL := help

# One target dir outside the clone, shared by CI runs and local work (cold builds are slow).
export CARGO_TARGET_DIR ?= $(HOME)/.cache/rpma/target
CARGO ?= cargo

# Debian packages the build and the tests need; installed only when missing.
APT_BUILD := build-essential pkg-config curl jq libssl-dev
# Tauri's Linux toolkit (the shell).
APT_DESKTOP := libwebkit2gtk-4.1-dev libgtk-3-dev libayatana-appindicator3-dev librsvg2-dev libsoup-3.0-dev
# The desktop end-to-end test: a virtual display, a window manager, a session bus, X tools.
APT_E2E := xvfb openbox dbus-x11 xdotool wmctrl x11-utils imagemagick procps webkit2gtk-driver
# Browser end-to-end tests: Debian's Chromium (playwright-core drives it; nothing is downloaded).
APT_BROWSER := chromium
APT_BENCH := wrk

SIDECAR_ARGS ?= --host 127.0.0.1 --port 1430 --data-dir ./.data
# Extra flags of `make seed`, e.g. SEED_ARGS='--force --password Demo12345' (see rpma-seed --help).
SEED_ARGS ?=

.PHONY: help deps frontend dev run serve seed test test-frontend test-browser test-desktop lint openapi openapi-check bench bundle

help: ## List the commands
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

deps: ## Install missing system packages and Rust tools
	@scripts/ensure-apt.sh $(APT_BUILD) $(APT_DESKTOP)
	@command -v cargo-nextest >/dev/null || $(CARGO) install cargo-nextest --locked
	@rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy rustfmt

# npm ci when the lock file is newer than the installed tree (or nothing is installed).
node_modules/.package-lock.json: package-lock.json package.json frontend/package.json
	npm ci --no-audit --no-fund

# The shell embeds frontend/dist when it is compiled: build the frontend first.
frontend: node_modules/.package-lock.json ## Build the frontend into frontend/dist
	npm run build

run: deps frontend ## Build and start the desktop app (shell + sidecar, data in the app's data dir)
	$(CARGO) build -p rpma-sidecar -p rpma-shell --bins
	$(CARGO_TARGET_DIR)/debug/rpma-shell

serve: deps ## Run the sidecar alone on 127.0.0.1:1430 (data in ./.data) for curl
	$(CARGO) run -p rpma-sidecar --bin rpma-sidecar -- $(SIDECAR_ARGS)

# Release: a debug SQLite writes 100,000 tasks several times slower.
seed: deps ## Fill the database in ./.data with demo data (5,000 clients, 100,000 tasks)
	$(CARGO) run --release -p rpma-sidecar --bin rpma-seed -- --data-dir ./.data $(SEED_ARGS)

dev: deps node_modules/.package-lock.json ## Vite on 127.0.0.1:1420 with hot reload, and the shell pointing at it
	$(CARGO) build -p rpma-sidecar --bin rpma-sidecar
	$(CARGO) build -p rpma-shell --bin rpma-shell --no-default-features
	npm run dev -w frontend & vite=$$!; trap "kill $$vite" EXIT; \
	  until curl -sf http://127.0.0.1:1420 >/dev/null; do sleep 0.2; done; \
	  $(CARGO_TARGET_DIR)/debug/rpma-shell

test: deps frontend lint openapi-check ## Everything CI runs
	$(CARGO) build --workspace --bins
	$(CARGO) nextest run --workspace --no-fail-fast
	$(MAKE) test-frontend test-browser test-desktop

test-frontend: node_modules/.package-lock.json ## Type check and unit tests of the frontend
	npm run typecheck
	npm test

test-browser: frontend ## Browser end-to-end tests: built frontend + real sidecar + Debian's Chromium
	@scripts/ensure-apt.sh $(APT_BROWSER)
	RPMA_SIDECAR=$(CARGO_TARGET_DIR)/debug/rpma-sidecar npm run e2e -w frontend

test-desktop: ## The desktop end-to-end test under Xvfb + openbox (after a build)
	@scripts/ensure-apt.sh $(APT_E2E)
	@command -v tauri-driver >/dev/null || $(CARGO) install tauri-driver --locked
	scripts/desktop-e2e.sh $(CARGO_TARGET_DIR)/debug

lint: frontend ## rustfmt check and clippy with warnings as errors (the shell needs frontend/dist)
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets --all-features --locked -- -D warnings

# Each generated document: the binary that prints it.
OPENAPI_DOCS := openapi.json:rpma-openapi shell.json:rpma-shell-openapi

openapi: deps frontend ## Regenerate openapi/*.json from the code, and the frontend's API types from them
	@for doc in $(OPENAPI_DOCS); do \
	  $(CARGO) run -q --all-features --bin $${doc#*:} > openapi/$${doc%%:*}.tmp && mv openapi/$${doc%%:*}.tmp openapi/$${doc%%:*} || exit 1; \
	done
	npm run openapi

openapi-check: frontend ## Fail when openapi/*.json differ from what the code generates
	@for doc in $(OPENAPI_DOCS); do \
	  $(CARGO) run -q --all-features --bin $${doc#*:} > $(CARGO_TARGET_DIR)/$${doc%%:*} || exit 1; \
	  diff -u openapi/$${doc%%:*} $(CARGO_TARGET_DIR)/$${doc%%:*} \
	    || { echo "openapi/$${doc%%:*} is stale: run 'make openapi' and commit it"; exit 1; }; \
	done
	@npx openapi-typescript openapi/openapi.json -o $(CARGO_TARGET_DIR)/schema.d.ts >/dev/null
	@diff -u frontend/src/api/schema.d.ts $(CARGO_TARGET_DIR)/schema.d.ts \
	  || { echo "frontend/src/api/schema.d.ts is stale: run 'make openapi' and commit it"; exit 1; }

bench: deps frontend ## Benchmarks of the release build: start-up, memory, requests/s, sign-in, tasks at scale, shell, window round trip
	@scripts/ensure-apt.sh $(APT_BENCH) $(APT_E2E)
	$(CARGO) build --release -p rpma-sidecar --bins
	@# The shell's release build (thin LTO) is the long one: only when its part runs.
	@if [[ -z "$$BENCH_ONLY" || ",$${BENCH_ONLY// /}," == *,shell,* ]]; then \
	  $(CARGO) build --release -p rpma-shell --bins && \
	  $(CARGO) build --release -p rpma-shell --example window_roundtrip; \
	fi
	python3 scripts/bench.py $(CARGO_TARGET_DIR)/release

HOST_TRIPLE = $(shell rustc -vV | sed -n 's/^host: //p')

bundle: deps frontend ## A .deb of the desktop app, with the sidecar inside (Tauri externalBin)
	$(CARGO) build --release -p rpma-sidecar --bin rpma-sidecar
	mkdir -p tauri/binaries
	cp $(CARGO_TARGET_DIR)/release/rpma-sidecar tauri/binaries/rpma-sidecar-$(HOST_TRIPLE)
	@command -v cargo-tauri >/dev/null || $(CARGO) install tauri-cli --version '^2' --locked
	cd tauri && $(CARGO) tauri build --config tauri.bundle.conf.json --bundles deb
	@ls -1 $(CARGO_TARGET_DIR)/release/bundle/deb/*.deb
