# flipchart: the two commands a newcomer needs are `make serve` and `make test`.
GO      ?= go
SOURCE  ?= .
DEST    ?= public
FLIPCHART = $(GO) run ./generator/cmd/flipchart

.PHONY: all build bundle serve check pdf test race bench lint cross fmt install release release-check clean

all: lint test

## build: publish the demo curriculum to public/
build:
	$(FLIPCHART) build --source $(SOURCE) --dest $(DEST)

## bundle: build to public/ and zip it, with its SHA256SUMS, beside config.toml
bundle:
	$(FLIPCHART) bundle --source $(SOURCE) --dest $(DEST)

## serve: run the demo curriculum on http://127.0.0.1:1313
serve:
	$(FLIPCHART) serve --source $(SOURCE)

## pdf: build to public/ and print its PDFs to public/pdf/ (needs Chromium)
pdf:
	$(FLIPCHART) pdf --source $(SOURCE) --dest $(DEST)

## check: report every problem in the content
check:
	$(FLIPCHART) check --source $(SOURCE)

## test: every test, with the race detector (browser tests skip without
## Chromium unless REQUIRE_BROWSER=1); then the publishing tests again with
## the swap that Windows and macOS use (tag flipchart_portable)
test:
	$(GO) test -race -count=1 ./...
	$(GO) test -race -count=1 -tags flipchart_portable -run 'Build|Dir|Commit|Stopped|Retry' ./generator/publish/ ./generator/cmd/flipchart/

## cross: vet and build the command for every system authors use
TARGETS ?= windows/amd64 windows/arm64 darwin/amd64 darwin/arm64 linux/amd64 linux/arm64
cross:
	@set -e; for t in $(TARGETS); do \
		echo "$$t"; \
		GOOS=$${t%/*} GOARCH=$${t#*/} $(GO) vet ./...; \
		GOOS=$${t%/*} GOARCH=$${t#*/} $(GO) build -o /dev/null ./generator/cmd/flipchart; \
	done

## bench: build speed and memory against the floors, one-page rebuild time,
## save-to-page latency in a browser, and PDF pages per second (see README)
BENCH ?= Build|Floor|VsFloor|PageTemplates|Live|Serve|SearchCost
BENCHCOUNT ?= 6
bench:
	$(GO) test -run '^$$' -bench '$(BENCH)' -benchmem -count $(BENCHCOUNT) -timeout 90m ./generator/...
	$(GO) test -run '^$$' -bench 'PDFPrintEdition' -benchtime 1x -count 1 -timeout 60m ./generator/build/

## lint: gofmt and go vet
lint:
	@out=$$(gofmt -l generator themes); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

fmt:
	gofmt -w generator themes

install:
	$(GO) install ./generator/cmd/flipchart

## release: the binaries for Windows, macOS and Linux (amd64 and arm64) and
## their SHA256SUMS in dist/; VERSION defaults to git describe, and
## RELEASE_TARGETS="linux/amd64 darwin/arm64" builds only those
VERSION ?=
release:
	GO=$(GO) $(GO) run ./generator/internal/release -dist dist $(if $(VERSION),-version $(VERSION))

## release-check: builds the release twice (the second time from a copy of
## the sources with an empty build cache) and checks that the bytes are the
## same, each binary's format and architecture, and SHA256SUMS
release-check:
	GO=$(GO) FLIPCHART_RELEASE_CHECK=1 $(GO) test -count=1 -v -run '^TestRelease$$' -timeout 40m ./generator/internal/release

clean:
	rm -rf $(DEST) dist
