# Swath — build, test, demo and benchmarks. `make help` lists the targets.
SHELL := /bin/bash
SWIFT ?= swift
APT_PACKAGES := libgdal-dev libproj-dev libdeflate-dev libxgboost-dev libsqlite3-dev gdal-bin proj-bin python3-gdal python3-numpy python3-yaml sqlite3 time bc \
	libjs-leaflet chromium chromium-driver python3-venv zip postgresql-15 postgresql-15-postgis-3
# Python test tools (PyPI) go into a virtual environment: Debian 12 refuses `pip install` into its
# own python3 (PEP 668). Built on Debian's python3 with --system-site-packages so that python3-gdal
# (osgeo) and numpy stay visible. Swift tests run `python3`, so the venv goes first on their PATH.
SYSTEM_PYTHON := /usr/bin/python3
VENV := $(CURDIR)/.venv
PYTHON := $(VENV)/bin/python
WITH_VENV := PATH=$(VENV)/bin:$$PATH
PY_REQUIREMENTS := Tests/requirements.txt
# The STAC API's clients (pystac-client, stac-api-validator) pin what schemathesis pins differently: a venv of their own.
STAC_VENV := $(CURDIR)/.venv-stac
STAC_PYTHON := $(STAC_VENV)/bin/python
STAC_REQUIREMENTS := Tests/stac/requirements.txt
BIN := .build/debug/swath
RELEASE_BIN := .build/release/swath

.PHONY: help deps venv venv-stac test-stac build release test test-browser test-authz fuzz demo fixtures bench-tile bench-tile-shards bench-s3 bench-tile-sparse bench-api bench-export bench-tiles bench-wildfire bench-quality bench-spread bench-stac bench-segment bench-model bench-payroll clean

help:
	@echo "make demo        install what is missing, build, tile the fixture scene, start the labeling server on :8080"
	@echo "make test        install what is missing, build, run the whole test suite (Swift tests, then the browser test)"
	@echo "make test-browser  the workbench end to end in headless Chromium"
	@echo "make test-stac   the STAC API with pystac-client and stac-api-validator against a running server"
	@echo "make test-authz  the authorization matrix: every API operation × every kind of caller vs openapi.yaml's x-swath-roles"
	@echo "make fuzz        200,000 mutated label bodies through the label route and 2,000,000 through the readers (SWATH_FUZZ_CASES), then schemathesis against /openapi.yaml with a token per role, long (FUZZ_ARGS=... for more)"
	@echo "make bench-tile  swath tile vs gdal_retile.py on the standard 10980² scene (release build)"
	@echo "make bench-tile-sparse  swath tile --skip-empty on a sparse 400000² scene (611,524 tiles): peak RSS and time"
	@echo "make bench-tile-shards  one swath tile against two --shard runs of the same job at once"
	@echo "make bench-s3    swath tile S3→S3 vs gdal_retile.py /vsis3/→disk, and one run vs two shards (moto on loopback)"
	@echo "make bench-api   label saves and claims against a release server on loopback (DB=postgres: also two servers on one PostgreSQL)"
	@echo "make bench-export  training-chip export vs swath tile on the standard scene"
	@echo "make bench-segment  click-to-segment latency (p50/p95) on 512 × 512 tasks of a 6-band scene"
	@echo "make bench-stac  release creation, then STAC search pages at 32 clients and a full enumeration, on the standard scene's labels"
	@echo "make bench-wildfire  wildfire features of the standard scene pair vs gdaldem + gdal_calc.py"
	@echo "make bench-spread    spread-dataset samples of a ten-step fire over the standard scene vs xarray + the GDAL command line"
	@echo "make bench-quality   swath simulate: a workforce with known misconduct through the service (SIMULATE_ARGS=--json), then the checks' cost on 100,000 labels (BENCH_CHECKS_ARGS='--layout dense')"
	@echo "make bench-payroll  a month's payroll, annotators' own statements and a 10,000-task remediation on a 1,000,000-entry ledger (BENCH_PAYROLL_ARGS=...)"
	@echo "make bench-tiles map tiles of the standard scene from a release server, cold and warm (wrk, 32 connections); GRID=1 the native view's grid tiles"
	@echo "make fixtures    regenerate Fixtures/*.tif"

# Installs the Debian packages only when one is missing (needs root or sudo), then the venv.
deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing: $$missing"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi
	@$(MAKE) --no-print-directory venv
	@$(MAKE) --no-print-directory venv-stac

# .venv/ (git-ignored): made again when missing or when it lost Debian's osgeo (python3 upgraded);
# pip runs only when Tests/requirements.txt differs from what was last installed.
venv:
	@$(PYTHON) -c "import osgeo, numpy" 2>/dev/null || { rm -rf $(VENV) && $(SYSTEM_PYTHON) -m venv --system-site-packages $(VENV); }
	@cmp -s $(PY_REQUIREMENTS) $(VENV)/requirements.installed \
		|| { $(PYTHON) -m pip install -q -r $(PY_REQUIREMENTS) && cp $(PY_REQUIREMENTS) $(VENV)/requirements.installed; }

venv-stac:
	@$(STAC_PYTHON) -c "import osgeo" 2>/dev/null || { rm -rf $(STAC_VENV) && $(SYSTEM_PYTHON) -m venv --system-site-packages $(STAC_VENV); }
	@cmp -s $(STAC_REQUIREMENTS) $(STAC_VENV)/requirements.installed \
		|| { $(STAC_PYTHON) -m pip install -q -r $(STAC_REQUIREMENTS) && cp $(STAC_REQUIREMENTS) $(STAC_VENV)/requirements.installed; }

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

test: deps
	$(SWIFT) build --build-tests
	SWATH_BIN=$(CURDIR)/$(BIN) $(WITH_VENV) $(SWIFT) test --skip-build
	# The server and adversarial suites again on PostgreSQL/PostGIS (a throw-away cluster the tests start and stop).
	SWATH_TEST_STORE=postgres SWATH_BIN=$(CURDIR)/$(BIN) $(WITH_VENV) $(SWIFT) test --skip-build \
		--filter 'SwathServerTests|SwathAdversarialTests' --skip LabelBodyFuzzTests
	SWATH_BIN=$(CURDIR)/$(BIN) $(PYTHON) Tests/security/test_authz_matrix.py
	# Many servers on one PostgreSQL: claims, k = 3, kill -9, revocation, the database going away, migration round trip.
	SWATH_BIN=$(CURDIR)/$(BIN) $(PYTHON) Tests/cluster/test_many_servers.py
	SWATH_BIN=$(CURDIR)/$(BIN) $(PYTHON) Tests/fuzz/run_schemathesis.py --bounded
	# The STAC API with pystac-client and stac-api-validator (core, collections, features, item-search).
	SWATH_BIN=$(CURDIR)/$(BIN) $(STAC_PYTHON) Tests/stac/test_stac_api.py
	SWATH_BIN=$(CURDIR)/$(BIN) $(PYTHON) Tests/browser/test_workbench.py

# The workbench end to end in headless Chromium (also part of `make test`).
test-stac: deps build
	SWATH_BIN=$(CURDIR)/$(BIN) $(STAC_PYTHON) Tests/stac/test_stac_api.py

test-browser: deps build
	SWATH_BIN=$(CURDIR)/$(BIN) $(PYTHON) Tests/browser/test_workbench.py

# Who may do what: every /api/v1 operation × no/bad/revoked token, outsider, each role and admin
# against the x-swath-roles of /openapi.yaml, on a throw-away server (also part of `make test`).
test-authz: deps build
	SWATH_BIN=$(CURDIR)/$(BIN) $(PYTHON) Tests/security/test_authz_matrix.py

# Schemathesis against /openapi.yaml, once per role, with many examples and the stateful phase
# (make test runs a bounded pass). Findings are printed and written to /tmp/schemathesis-findings.md.
fuzz: deps build
	$(SWIFT) build --build-tests
	SWATH_FUZZ_CASES=$${SWATH_FUZZ_CASES:-200000} $(SWIFT) test --skip-build --filter LabelBodyFuzzTests
	SWATH_BIN=$(CURDIR)/$(BIN) $(PYTHON) Tests/fuzz/run_schemathesis.py --long $(FUZZ_ARGS)

demo: build
	SWATH=$(BIN) scripts/demo.sh

fixtures: deps
	$(PYTHON) Fixtures/make_fixtures.py

bench-tile: deps release
	bench/bench_tile.sh

# One swath tile against two shards of the same job at once, on the same cores.
bench-tile-shards: deps release
	bench/bench_tile_shards.sh

# Scenes and tiles on S3 (moto's server on loopback): against gdal_retile.py, and shards.
bench-s3: deps release
	bench/bench_s3.sh

# Memory that must not grow with the tile count: fails over 512 MB peak RSS.
bench-tile-sparse: deps
	$(SWIFT) build -c release --product swath
	bench/bench_tile_sparse.sh

bench-export: deps release
	bench/bench_export.sh

bench-stac: deps release
	bench/bench_stac.sh

bench-segment: deps release
	bench/bench_segment.sh

bench-model: deps release
	bench/bench_model.sh

# DB=postgres: after the SQLite server, two servers on one throw-away PostgreSQL database in the same run.
bench-api: deps
	@command -v wrk >/dev/null || { SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); $$SUDO apt-get install -y -qq wrk; }
	$(SWIFT) build -c release --product swath
	$(SWIFT) build -c release --product swath-bench
	bench/bench_api.sh $(DB)

bench-tiles: deps
	@command -v wrk >/dev/null || { SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); $$SUDO apt-get install -y -qq wrk; }
	$(SWIFT) build -c release --product swath
	$(SWIFT) build -c release --product swath-bench
	bench/bench_tiles.sh

bench-wildfire: deps
	$(SWIFT) build -c release --product swath
	bench/bench_wildfire.sh

# A ten-step fire over the standard scene with an hourly weather cube: against xarray + the GDAL command line.
bench-spread: deps
	$(SWIFT) build -c release --product swath
	bench/bench_spread.sh

bench-quality: deps
	$(SWIFT) build -c release --product swath
	.build/release/swath simulate $(SIMULATE_ARGS)
	.build/release/swath bench-checks $(BENCH_CHECKS_ARGS)

bench-payroll: deps
	$(SWIFT) build -c release --product swath
	.build/release/swath bench-payroll $(BENCH_PAYROLL_ARGS)

clean:
	rm -rf .build bench/out tiles/*/
