# caulk: the two commands of the README, plus benchmarks.
#   make demo   installs what it needs (cc, tzdata, CA bundle, …), builds caulk, runs the example end to end
#   make test   installs what the tests need (apt, Maven) and runs every test
SHELL := /bin/bash
MVN ?= mvn -B

.PHONY: test demo jar dist image bench bench-copy bench-build bench-audit bench-slim bench-sbom bench-hostile bench-secrets bench-startup bench-java bench-results-reset bench-summary clean

# scripts/test-tools: Debian trixie's skopeo 1.18 (bookworm's has sigstore disabled), checked and cached in
# ~/.cache/caulk/tools, for the sigstore interoperability tests; without network they skip, except under CI=true.
test:
	./scripts/install-test-deps
	./scripts/test-tools --for-tests skopeo >/dev/null
	$(MVN) verify

jar:
	$(MVN) -q -DskipTests package

# dist/caulk-VERSION-linux-amd64.tar.gz and a .deb: a jlink'd runtime, start-up archive, completions, man pages.
# DIST_JDK=/usr/lib/jvm/temurin-25-jdk-amd64 make dist makes the runtime from JDK 25 (with an AOT cache).
dist:
	./scripts/dist

# caulk's own image (caulk.yaml), built and audited by caulk: target/image/oci (tag caulk) and
# target/image/caulk-VERSION.docker.tar; fails on an audit finding above LOW (scripts/image).
image:
	MVN="$(MVN)" ./scripts/image

demo:
	./scripts/install-test-deps
	$(MVN) -q -DskipTests package
	./scripts/demo

# Each benchmark builds the jar through ./caulk when it is missing or stale. QUICK=1 (make bench QUICK=1)
# runs every one small and once: it shows they work, as CI checks from a fresh clone (scripts/check-fresh-clone).
# `make bench` ends with one table of every benchmark's figures beside its peer's, the ratios and issue 16's
# targets (bench/summary): each bench/*/run appends its rows to BENCH_RESULTS (bench/lib/common.sh,
# bench_row), which bench-results-reset empties first. `make bench-summary` prints the last run's table again.
BENCH_RESULTS ?= $(CURDIR)/bench/out/results.tsv
bench: export BENCH_RESULTS := $(abspath $(BENCH_RESULTS))
bench: bench-results-reset bench-copy bench-build bench-audit bench-slim bench-sbom bench-hostile bench-secrets bench-startup bench-java
	@./bench/summary "$(BENCH_RESULTS)"

bench-results-reset:
	@mkdir -p "$(dir $(BENCH_RESULTS))" && : >"$(BENCH_RESULTS)"

bench-summary:
	@./bench/summary "$(abspath $(BENCH_RESULTS))"

bench-build:
	./bench/build/run

bench-slim:
	./bench/slim/run

bench-copy:
	./bench/copy/run

bench-audit:
	./bench/audit/run

bench-sbom:
	./bench/sbom/run

bench-hostile:
	./bench/hostile/run

bench-secrets:
	./bench/secrets/run

bench-startup:
	./bench/startup/run

bench-java:
	./bench/java/run

clean:
	$(MVN) -q clean
