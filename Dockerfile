# The container image: a static (musl) stackstate-lint on an empty base.
#
#   docker build -t stackstate-lint .
#   docker run --rm -u "$(id -u):$(id -g)" -v "$PWD:/src" stackstate-lint values.yaml
#
# `-u` runs it as the owner of the mounted files: a .stackstate-lint.yaml is only trusted when
# the running user owns it, and files written by --fix keep their owner.

# The Alpine Rust images target musl and link statically by default, and carry musl-dev (since
# December 2025: 1.92 on), which the C and assembly of psm (stacker) and mimalloc compile against.
FROM rust:1.94-alpine3.22 AS build
WORKDIR /build
# Dependencies first, from Cargo.lock only: a change under src/ reuses this layer.
# (Cargo.toml names the bench, so benches/ comes along.)
COPY Cargo.toml Cargo.lock ./
COPY benches benches
RUN cargo fetch --locked
COPY build.rs ./
COPY data data
COPY rules rules
COPY src src
RUN cargo build --locked --profile dist --bin stackstate-lint \
    && cp target/dist/stackstate-lint /stackstate-lint \
    && /stackstate-lint --version

FROM scratch
LABEL org.opencontainers.image.title="stackstate-lint" \
      org.opencontainers.image.description="Lint StackState Helm chart values files" \
      org.opencontainers.image.source="https://github.com/stackstate-lint/stackstate-lint" \
      org.opencontainers.image.licenses="Apache-2.0"
COPY --from=build /stackstate-lint /stackstate-lint
# Any user: `docker run -u` picks the one that owns the mounted values files.
USER 65532:65532
WORKDIR /src
ENTRYPOINT ["/stackstate-lint"]
