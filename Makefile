# caulk: the two commands of the README, plus benchmarks.
#   make demo   installs what it needs (cc, tzdata, CA bundle, …), builds caulk, runs the example end to end
#   make test   installs what the tests need (apt, Maven) and runs every test
SHELL := /bin/bash
MVN ?= mvn -B

.PHONY: test demo jar bench bench-copy bench-build bench-audit bench-slim bench-sbom bench-hostile clean

test:
	./scripts/install-test-deps
	$(MVN) verify

jar:
	$(MVN) -q -DskipTests package

demo:
	./scripts/install-test-deps
	$(MVN) -q -DskipTests package
	./scripts/demo

bench: bench-copy bench-build bench-audit bench-slim bench-sbom bench-hostile

bench-build: jar
	./bench/build/run

bench-slim: jar
	./bench/slim/run

bench-copy: jar
	./bench/copy/run

bench-audit: jar
	./bench/audit/run

bench-sbom: jar
	./bench/sbom/run

bench-hostile: jar
	./bench/hostile/run

clean:
	$(MVN) -q clean
