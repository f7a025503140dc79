# Swath — build, test, demo and benchmarks. `make help` lists the targets.
SHELL := /bin/bash
SWIFT ?= swift
APT_PACKAGES := libgdal-dev libproj-dev libdeflate-dev libsqlite3-dev gdal-bin proj-bin python3-gdal python3-numpy sqlite3 time bc \
	libjs-leaflet chromium chromium-driver
BIN := .build/debug/swath
RELEASE_BIN := .build/release/swath

.PHONY: help deps build release test test-browser demo fixtures bench-tile bench-api bench-export bench-tiles bench-wildfire bench-quality clean

help:
	@echo "make demo        install what is missing, build, tile the fixture scene, start the labeling server on :8080"
	@echo "make test        install what is missing, build, run the whole test suite (Swift tests, then the browser test)"
	@echo "make test-browser  the workbench end to end in headless Chromium"
	@echo "make bench-tile  swath tile vs gdal_retile.py on the standard 10980² scene (release build)"
	@echo "make bench-api   label saves and claims against a release server on loopback"
	@echo "make bench-export  training-chip export vs swath tile on the standard scene"
	@echo "make bench-wildfire  wildfire features of the standard scene pair vs gdaldem + gdal_calc.py"
	@echo "make bench-quality   swath simulate: a workforce with known misconduct through the service (SIMULATE_ARGS=--json)"
	@echo "make bench-tiles map tiles of the standard scene from a release server, cold and warm (wrk, 32 connections)"
	@echo "make fixtures    regenerate Fixtures/*.tif"

# Installs the Debian packages only when one is missing (needs root or sudo).
deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing: $$missing"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi
	@python3 -c "import openapi_spec_validator, rio_cogeo, geojson_validator, pystac, selenium" 2>/dev/null \
		|| python3 -m pip install -q openapi-spec-validator rio-cogeo geojson-validator pystac selenium

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

test: deps
	$(SWIFT) build --build-tests
	SWATH_BIN=$(CURDIR)/$(BIN) $(SWIFT) test --skip-build
	SWATH_BIN=$(CURDIR)/$(BIN) python3 Tests/browser/test_workbench.py

# The workbench end to end in headless Chromium (also part of `make test`).
test-browser: deps build
	SWATH_BIN=$(CURDIR)/$(BIN) python3 Tests/browser/test_workbench.py

demo: build
	SWATH=$(BIN) scripts/demo.sh

fixtures:
	/usr/bin/python3 Fixtures/make_fixtures.py

bench-tile: deps release
	bench/bench_tile.sh

bench-export: deps release
	bench/bench_export.sh

bench-api: deps
	@command -v wrk >/dev/null || { SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); $$SUDO apt-get install -y -qq wrk; }
	$(SWIFT) build -c release --product swath
	$(SWIFT) build -c release --product swath-bench
	bench/bench_api.sh

bench-tiles: deps
	@command -v wrk >/dev/null || { SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); $$SUDO apt-get install -y -qq wrk; }
	$(SWIFT) build -c release --product swath
	$(SWIFT) build -c release --product swath-bench
	bench/bench_tiles.sh

bench-wildfire: deps
	$(SWIFT) build -c release --product swath
	bench/bench_wildfire.sh

bench-quality: deps
	$(SWIFT) build -c release --product swath
	.build/release/swath simulate $(SIMULATE_ARGS)

clean:
	rm -rf .build bench/out tiles/*/
