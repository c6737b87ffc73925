# The two commands a new user needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1:8000

.PHONY: run install install-dev migrate demo test test-postgres lint format bench messages vendor clean

# requirements.txt is what the site needs to run; requirements-dev.txt adds
# the test and lint tools. A stamp file per list: editing a list reinstalls.
$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed-runtime: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed-runtime
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed-runtime

install-dev: $(VENV)/.installed-dev

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

run: demo
	$(PY) manage.py runserver $(HOST)

test: install-dev node_modules
	$(BIN)/pytest

# Test tools from npm (axe-core, vnu-jar); skipped where npm is absent, and
# then the browser tests say they were skipped.
node_modules: package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error; touch node_modules; fi

test-postgres: install-dev
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/healthinfo} $(BIN)/pytest

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Benchmarks, printing tables: the public page as its references grow; the
# admin screens, the public page and the XLIFF export at 100, 1,000 and
# 10,000 generated articles (BENCH_ARTICLES; the 10,000 take about 20
# minutes to generate); the diff of one field of 1,000 to 6,000 words.
# Then the public side on PostgreSQL, Redis, gunicorn and wrk at 10 and
# 10,000 articles (BENCH_PUBLIC_ARTICLES; generated once and kept, see
# docs/benchmarks.md): throughput against a static file, search latency,
# publishing under load, and the SQL queries of every kind of page.
bench: install-dev
	DJANGO_SETTINGS_MODULE=healthinfo.settings.test $(PY) bench/public_page.py
	DJANGO_SETTINGS_MODULE=healthinfo.settings.test $(PY) bench/library_scale.py
	DJANGO_SETTINGS_MODULE=healthinfo.settings.test $(PY) bench/diff_speed.py
	DJANGO_SETTINGS_MODULE=healthinfo.settings.test $(PY) bench/import_export.py
	$(PY) bench/public_throughput.py
	$(PY) bench/public_search.py
	if [ -f bench/search_relevance.py ]; then DJANGO_SETTINGS_MODULE=healthinfo.settings.test $(PY) bench/search_relevance.py; fi
	$(PY) bench/publish_under_load.py
	$(PY) bench/public_queries.py

# Extract strings into locale/*/django.po (translate the new ones there), compile.
messages: install
	$(PY) manage.py makemessages -l es --no-location --ignore=.venv --ignore=node_modules --ignore=staticfiles --ignore=tests --ignore=bench --ignore=locale
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules

# Refresh vendored front-end assets from npm (the copies are committed).
vendor:
	npm install --no-audit --no-fund
	mkdir -p static/vendor/jquery-ui
	cp node_modules/jquery-ui/dist/jquery-ui.min.js node_modules/jquery-ui/LICENSE.txt static/vendor/jquery-ui/

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles
