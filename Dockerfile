# The server as a container image: built in a full Rust image, run from a distroless one that
# holds the C runtime, CA certificates and a non-root user, and nothing else (no shell, no
# package manager), so there is little to patch or to exploit.

FROM rust:1.94-bookworm AS build
WORKDIR /src
COPY . .
# The caches keep dependencies between builds; the binary is copied out of the cached target.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked --bin hotline \
    && cp target/release/hotline /usr/local/bin/hotline

FROM gcr.io/distroless/cc-debian12:nonroot AS runtime
COPY --from=build /usr/local/bin/hotline /usr/local/bin/hotline
# The shipped flows, for a first run; compose mounts the line's own folder over them.
COPY call_flows /etc/hotline/call_flows
ENV HOTLINE_BIND=0.0.0.0:8080 \
    HOTLINE_FLOWS=/etc/hotline/call_flows
# A SQLite database, if used, goes here (mount a volume); PostgreSQL needs no disk at all.
WORKDIR /home/nonroot
# 65532 is distroless's `nonroot`; given by number so the runtime can tell it is not root.
USER 65532:65532
EXPOSE 8080
# The image has no curl: the binary asks its own /readyz (503 while the database fails).
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
    CMD ["/usr/local/bin/hotline", "probe"]
ENTRYPOINT ["/usr/local/bin/hotline"]
CMD ["serve"]
