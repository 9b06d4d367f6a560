# caulk: the two commands of the README, plus benchmarks.
#   make demo   builds caulk and runs the example end to end
#   make test   installs what the tests need (apt, Maven) and runs every test
SHELL := /bin/bash
MVN ?= mvn -B

.PHONY: test demo jar bench bench-copy bench-build bench-sbom clean

test:
	./scripts/install-test-deps
	$(MVN) verify

jar:
	$(MVN) -q -DskipTests package

demo: jar
	./scripts/demo

bench: bench-copy bench-build bench-sbom

bench-build: jar
	./bench/build/run

bench-copy: jar
	./bench/copy/run

bench-sbom: jar
	./bench/sbom/run

clean:
	$(MVN) -q clean
