# newsbot developer commands. `make run` and `make test` are the two README commands.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run demo test lint install migration clean

$(BIN)/newsbot: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

install: $(BIN)/newsbot

# The bot's main job on embedded defaults: SQLite in ./data, bundled demo feeds, console output.
run: install
	$(BIN)/newsbot init
	$(BIN)/newsbot run

# The whole path once, offline, on a temporary database; prints the digest and exits.
demo: install
	$(BIN)/newsbot demo

# Every test, on SQLite and PostgreSQL (127.0.0.1:5432, database test), plus the linter.
test: install
	$(BIN)/ruff check newsbot tests benchmarks migrations
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check newsbot tests benchmarks migrations
	$(BIN)/ruff format --check newsbot tests benchmarks migrations

migration: install
	$(BIN)/python -c "from alembic import command; from newsbot.store import Store, alembic_config; \
	s = Store('sqlite:///data/autogen.db'); s.migrate(); \
	command.revision(alembic_config(s.engine), message='$(MSG)', autogenerate=True)"

clean:
	rm -rf $(VENV) data .pytest_cache
