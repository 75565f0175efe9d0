# inami-cli — every target installs what it needs in .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_STAMP := $(VENV)/.installed-demo
DEMO_DB := $(abspath .demo/inami.db)
DEMO_CONFIG := $(abspath .demo/inami.toml)
DEMO := INAMI_CONFIG=$(DEMO_CONFIG) INAMI_PAGER= $(BIN)/inami

.PHONY: demo test test-sqlite fuzz lint format bench bench-quick clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,postgres]'
	$(BIN)/python -m compileall -q inami_cli  # as an installed wheel is (fast cold starts)
	touch $(STAMP)

# `make demo` needs the package only, not the test tools; a venv made by `make test` (a
# superset) serves as it is.
$(DEMO_STAMP): pyproject.toml
	@if [ -f $(STAMP) ] && [ $(STAMP) -nt pyproject.toml ]; then touch $(DEMO_STAMP); else \
		$(PYTHON) -m venv $(VENV) && \
		$(BIN)/python -m pip install --quiet --upgrade pip && \
		$(BIN)/python -m pip install --quiet -e . && \
		$(BIN)/python -m compileall -q inami_cli && \
		touch $(DEMO_STAMP); fi

demo: $(DEMO_STAMP)
	rm -rf .demo && mkdir -p .demo
	printf '# written by `make demo`\n[database]\nurl = "sqlite:///%s"\n' '$(DEMO_DB)' > $(DEMO_CONFIG)
	chmod 600 $(DEMO_CONFIG)
	$(DEMO) init --demo
	@echo; echo '$$ inami nomenclature show 101076 --date 2026-03-02'
	@$(DEMO) nomenclature show 101076 --date 2026-03-02
	@echo; echo '$$ inami insured 85061508234 --date 2026-03-02'
	@$(DEMO) insured 85061508234 --date 2026-03-02
	@echo; echo '$$ inami reimburse 101076 --date 2026-03-02 --regime preferential --dmg --age 40 --explain'
	@$(DEMO) reimburse 101076 --date 2026-03-02 --regime preferential --dmg --age 40 --explain
	@echo; echo '$$ inami reimburse 101076 --date 2026-03-02 --niss 85061508234'
	@$(DEMO) reimburse 101076 --date 2026-03-02 --niss 85061508234
	@echo; echo '$$ inami provider status 1-90025-95-100 --date 2026-03-05 --time 15:00'
	@$(DEMO) provider status 1-90025-95-100 --date 2026-03-05 --time 15:00
	@echo; echo '$$ inami reimburse 105755 --date 2025-03-05 --time 15:00 --regime ordinary --provider-id 1-90025-95-100 --charged 45.00 --explain'
	@$(DEMO) reimburse 105755 --date 2025-03-05 --time 15:00 --regime ordinary --provider-id 1-90025-95-100 --charged 45.00 --explain
	@echo; echo '$$ inami decision list'
	@$(DEMO) decision list
	@echo; echo '$$ inami nomenclature show 560011 --history   # which decision set this fee?'
	@$(DEMO) nomenclature show 560011 --history
	@echo; echo '$$ inami maf status 72110313704 --year 2024 --on 2024-09-30'
	@$(DEMO) maf status 72110313704 --year 2024 --on 2024-09-30
	@echo; echo '$$ inami maf compute H1 --year 2024'
	@$(DEMO) maf compute H1 --year 2024
	@echo; echo '$$ inami indemnity compute 65090307106 --on 2026-03-02 --explain'
	@$(DEMO) indemnity compute 65090307106 --on 2026-03-02 --explain
	@echo; echo '$$ inami control audit fixtures/billing_demo.csv --format csv   # one planted error of each kind'
	@$(DEMO) control audit fixtures/billing_demo.csv --format csv
	@echo; echo '$$ inami control report fixtures/billing_demo.csv --format csv   # per provider, against peers'
	@$(DEMO) control report fixtures/billing_demo.csv --format csv
	@echo; echo 'To run the README examples on this database, paste:'
	@echo 'export INAMI_CONFIG=$(DEMO_CONFIG)'

test: $(STAMP)
	$(BIN)/pytest -q -n 2 --dist loadfile

# The long random search of the property and fuzz tests (`make test` runs them with a fixed
# seed); add every failing example it finds as an explicit @example or regression test.
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/pytest -q -n 2 tests/reliability/test_fuzz.py tests/domain

lint: $(STAMP)
	$(BIN)/ruff check inami_cli tests benchmarks
	$(BIN)/ruff format --check inami_cli tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff format inami_cli tests benchmarks
	$(BIN)/ruff check --fix inami_cli tests benchmarks

# On PostgreSQL too when a server answers at this URL (INAMI_BENCH_DATABASE_URL overrides;
# its database is only connected to: each run creates and drops databases of its own);
# otherwise the run says why PostgreSQL was skipped and measures SQLite alone.
BENCH_POSTGRES ?= $(or $(INAMI_BENCH_DATABASE_URL),postgresql+psycopg://postgres@127.0.0.1:5432/postgres)

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run --postgres '$(BENCH_POSTGRES)'

bench-quick: $(STAMP)
	$(BIN)/python -m benchmarks.run --quick --postgres '$(BENCH_POSTGRES)'

clean:
	rm -rf .demo .venv build *.egg-info .pytest_cache .mypy_cache .ruff_cache
