# Development entry points. `make up` and `make test` are the two commands README.md promises.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PACKAGES := -e contracts -e servicekit -e services/catalog -e services/warehouse -e services/costing -e services/ledger -e console -e webhooks -e cli -e deploy/local

.PHONY: dev up test typecheck bench asyncapi lock clean

dev: $(VENV)/.installed

$(VENV)/.installed: constraints.txt requirements-dev.txt */pyproject.toml services/*/pyproject.toml deploy/local/pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -c constraints.txt -r requirements-dev.txt $(PACKAGES)
	touch $@

up: dev
	$(BIN)/devstack up

test: dev typecheck
	$(BIN)/pytest

# mypy --strict on the contracts, every service's domain (STYLE.md) and the console
typecheck: dev
	$(BIN)/mypy --strict contracts/src/inventory_contracts
	for service in catalog warehouse costing ledger; do \
	  (cd services/$$service/src && ../../../$(BIN)/mypy --strict -p $$service.domain) || exit 1; \
	done
	cd console/src && ../../$(BIN)/mypy --strict -p inventory_console
	cd webhooks/src && ../../$(BIN)/mypy --strict -p inventory_webhooks

bench: dev
	$(BIN)/devstack bench

asyncapi: dev
	$(BIN)/python -m servicekit.asyncapi
	$(BIN)/python -m inventory_contracts.catalogue

lock: dev
	$(BIN)/pip freeze --exclude-editable | grep -v '^pip==' > constraints.txt

clean:
	rm -rf .state $(VENV)
