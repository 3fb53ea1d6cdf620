# Medley — build, test, benchmark, lint, demo.
GO       ?= go
BIN      := bin
DEMO_DIR := .demo

.PHONY: all build test test-deps test-short bench lint vet demo clean

all: build

build:
	$(GO) build -o $(BIN)/medley ./cmd/medley

vet:
	$(GO) vet ./...

# The whole test suite, with the real servers it needs (PostgreSQL 15 and
# MariaDB are installed from Debian's packages when missing; tests start
# throwaway clusters on 127.0.0.1 as an unprivileged user).
test: test-deps
	$(GO) build ./... && $(GO) vet ./...
	$(GO) test -count=1 -timeout 30m ./...

test-deps:
	bash benchmarks/setup-test-deps.sh

test-short:
	$(GO) test -short ./...

# Benchmarks: TPC-H over Parquet against DuckDB and PostgreSQL (see
# benchmarks/README.md). SF=1 by default.
SF ?= 1
bench:
	cd benchmarks && $(MAKE) SF=$(SF)

lint: vet
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

# Medley's main job on the embedded default: a fresh catalog, sample TPC-H
# data (SF 0.01) as Parquet and CSV files plus a memory table, and a
# cross-source query.
demo: build
	rm -rf $(DEMO_DIR) && mkdir -p $(DEMO_DIR)
	$(GO) run ./benchmarks/cmd/tpchgen -sf 0.01 -dir $(DEMO_DIR)/data -format parquet,csv
	cd $(DEMO_DIR) && ../$(BIN)/medley --catalog catalog.db --on-error-stop -f ../cmd/medley/demo.sql

clean:
	rm -rf $(BIN) $(DEMO_DIR)
