# onionwatch: the two commands are `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=

# The real Elasticsearch node the tests use (onionwatch/app/es, through the scripts/es_node.py wrapper:
# Maven Central zip, Java 21+; standard library only, so the system python3 runs it).
ES_PORT ?= 9200
# make test runs its own node on another port, so a node a user keeps on 9200 is never touched.
ES_TEST_PORT ?= 9250
# make es-cluster: a local 3-node cluster on 9210-9212 (transport 9310-9312), 384 MB heap a node.
# (The cluster tests start their own on 9260-9262 and a secured node on 9263; see docs/elasticsearch.md.)
ES_CLUSTER_PORT ?= 9210
ES_CLUSTER_NODES ?= 3
ES_NODE := $(PYTHON) scripts/es_node.py

.PHONY: demo test notebooks lint install clean-demo help web-graph-library es es-stop es-cluster es-cluster-status es-cluster-stop test-cluster browser redis tor-testnet

help:
	@echo "make demo   set up .venv, then serve the sandbox market, crawl, index and summarise"
	@echo "make test   set up .venv with the test dependencies, lint (make lint), then run the whole"
	@echo "            test suite (starts the test Elasticsearch node first and stops it after)"
	@echo "make notebooks  install the notebooks extra, then open the investigator notebooks in JupyterLab"
	@echo "            on 127.0.0.1 (the printed address carries the token), reading the demo's data"
	@echo "make lint   check the code with ruff (rules in pyproject.toml)"
	@echo "make es     start the local Elasticsearch node on 127.0.0.1:$(ES_PORT); make es-stop stops it"
	@echo "make es-cluster  start a local $(ES_CLUSTER_NODES)-node cluster from port $(ES_CLUSTER_PORT); es-cluster-status, es-cluster-stop"
	@echo "make tor-testnet  run the private Tor network of the tests (Ctrl-C stops it)"
	@echo "make web-graph-library  refresh the search page's pinned graph library from npm (no Node needed)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip setuptools wheel

$(VENV)/.installed: $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $@

# The tests need the notebooks extra too (the notebook and JupyterLab tests).
$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test,notebooks]'
	touch $@

# JupyterLab 4 and the ipysigma graph widget (setup.cfg's notebooks extra: prebuilt wheels, no Node).
$(VENV)/.installed-notebooks: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[notebooks]'
	touch $@

install: $(VENV)/.installed

demo: $(VENV)/.installed
	$(BIN)/onionwatch demo

# JupyterLab on notebooks/, 127.0.0.1 only, behind a token, its kernels reading the data the demo made
# (onionwatch.core.datadir); NOTEBOOKS_ARGS passes options, e.g. NOTEBOOKS_ARGS='--port 8890'.
notebooks: $(VENV)/.installed-notebooks
	$(BIN)/onionwatch notebooks $(NOTEBOOKS_ARGS)

# Debian's Chromium for the search page's browser test (Playwright drives it; no browser download).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else echo "chromium is missing: install Debian's package (sudo apt-get install chromium)"; fi; }

# Debian's Redis for the distributed-crawl test (two crawlers sharing one frontier).
redis:
	@command -v redis-server >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && RUNLEVEL=1 DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server; \
	  else echo "redis-server is missing: install Debian's package (sudo apt-get install redis-server)"; fi; }

es:
	$(ES_NODE) start --port $(ES_PORT)

es-stop:
	$(ES_NODE) stop --port $(ES_PORT)

es-cluster:
	$(ES_NODE) start --nodes $(ES_CLUSTER_NODES) --port $(ES_CLUSTER_PORT)

es-cluster-status:
	$(ES_NODE) status --nodes $(ES_CLUSTER_NODES) --port $(ES_CLUSTER_PORT)

es-cluster-stop:
	$(ES_NODE) stop --nodes $(ES_CLUSTER_NODES) --port $(ES_CLUSTER_PORT)

# The node is stopped after pytest whatever pytest's outcome; pytest's exit status is kept.
# A private Tor network on 127.0.0.1 (its own directory authorities; never the public network).
tor-testnet: $(VENV)/.installed-test
	$(BIN)/python scripts/tor_testnet.py run

# Ruff with the rules of pyproject.toml ([tool.ruff]); its version is pinned in setup.cfg's test extra.
lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

# Lint first: a lint error stops the run before any service starts.
test: $(VENV)/.installed-test lint browser redis
	$(BIN)/python scripts/tor_testnet.py install
	$(ES_NODE) start --port $(ES_TEST_PORT)
	ONIONWATCH_TEST_ES_URL=http://127.0.0.1:$(ES_TEST_PORT) $(BIN)/python -m pytest $(PYTEST_ARGS); \
	  status=$$?; $(ES_NODE) stop --port $(ES_TEST_PORT); exit $$status

# Only the tests that start their own Elasticsearch nodes (also part of make test).
test-cluster: $(VENV)/.installed-test
	$(BIN)/python -m pytest -m cluster tests/search_index $(PYTEST_ARGS)

# The search page's graph library (Cytoscape.js, pinned in onionwatch/app/web/assets.py): fetched from the
# npm registry by the system python3 (no Node), checked against the registry's integrity hash; then put
# the printed SHA-256 values into assets.py's PINNED (tests/web/test_assets.py checks them).
web-graph-library:
	$(PYTHON) scripts/refresh_graph_library.py

clean-demo:
	rm -rf onionwatch-data
