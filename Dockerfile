# syntax=docker/dockerfile:1
# Campaign Gateway: a multi-stage build.
#
#   docker build -t campaign-gateway .                      the gateway image (the last stage, `gateway`)
#   docker build -t campaign-gateway-sim --target kore-sim .   the Kore.ai simulator (local development, compose)
#
#   docker run --rm -p 8080:8080 campaign-gateway demo --host 0.0.0.0      # the embedded demo, no configuration
#   docker run --rm -p 8080:8080 \
#     -v "$PWD/deploy/compose/gateway.json:/etc/campaign-gateway/config.json:ro" \
#     -v "$PWD/deploy/compose/secrets:/run/secrets:ro" \
#     campaign-gateway                                                       # serve with a mounted config and secrets
#
# No Docker engine runs where this file is developed, and no registry is reachable there, so the `build` and `assemble`
# stages' base images cannot be pulled. Every CI run still builds the two FROM scratch stages of this very file with
# buildah and runs them with podman as compose.yaml does (.ci/image-checks, scripts/image-check: the `assemble` stage's
# commands run on the Debian bookworm build machine and stand in for the stage). .ci/deploy-checks runs the build
# stage's scripts/build-release and the `assemble` stage's steps in a debootstrapped bookworm (scripts/deploy-rootfs-check).

# The build image: Swift 6.3 on Debian 12 (bookworm), the same Debian release the runtime libraries come from, so the
# libraries the binary was linked against are the ones it runs with. Pin a digest (swift:6.3-bookworm@sha256:...) for reproducible
# builds.
ARG SWIFT_IMAGE=swift:6.3-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-slim

FROM ${SWIFT_IMAGE} AS build
WORKDIR /src
# OpenSSL's headers and pkg-config file: the upstream client's TLS links the system's libssl (libssl3 at run time).
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends libssl-dev pkg-config \
 && rm -rf /var/lib/apt/lists/*
# The package has no dependencies to resolve, so there is no separate resolve layer: the sources are the input.
# (SwiftPM checks that every target's folder exists, so Tests/ comes along although nothing in it is built.)
COPY . .
# The release build, exactly as CI runs it: static Swift stdlib; OpenSSL (libssl3), libc, libstdc++
# and libgcc_s stay dynamic. Stripped: without the toolchain's backtracer in the runtime image, symbols
# would only add 15 MiB. The cache mount keeps .build-release between builds (BuildKit).
ENV BUILD_RELEASE_STRIP=1
RUN --mount=type=cache,target=/src/.build-release scripts/build-release /out

# The runtime file set, assembled in Debian slim and then copied into an empty image: the binaries, the shared
# libraries `ldd` lists for them (glibc, libstdc++, libgcc_s, and OpenSSL's libssl3 and libcrypto for the upstream
# client's TLS), the CA certificates for https:// to Kore.ai (OpenSSL's default verify paths find them), and
# /etc/passwd with an unprivileged user of a numeric UID (Kubernetes' runAsNonRoot needs a number). No shell, no
# package manager. scripts/assemble-runtime-rootfs says exactly what goes in. Package versions are not pinned on
# purpose: Debian bookworm ships only security and stable updates, and an old pinned version disappears from the
# archive once it is superseded, which would break every rebuild; rebuild the image to take in security fixes, and
# pin the base image by digest for reproducibility.
FROM ${RUNTIME_IMAGE} AS assemble
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates libssl3 libstdc++6 libgcc-s1 \
 && rm -rf /var/lib/apt/lists/*
COPY scripts/assemble-runtime-rootfs /usr/local/bin/
COPY --from=build /out/campaign-gateway /out/kore-sim /out/
RUN assemble-runtime-rootfs --uid 10001 --gid 10001 /rootfs/gateway /out/campaign-gateway \
 && assemble-runtime-rootfs --uid 10001 --gid 10001 /rootfs/kore-sim /out/kore-sim /out/campaign-gateway

# The simulator image, for compose and local development only: kore-sim plus campaign-gateway (for its healthcheck
# command). Start it with the gateway's configuration so both share the tenants' secrets.
FROM scratch AS kore-sim
COPY --from=assemble /rootfs/kore-sim/ /
# Labels are per image: a FROM scratch stage inherits none from the stage it copies from.
LABEL org.opencontainers.image.title="campaign-gateway-sim" \
      org.opencontainers.image.description="A stand-in for Kore.ai's campaign API, for local development and compose" \
      org.opencontainers.image.licenses="UNLICENSED"
# Fails the build if a shared library the binary needs is missing from the file set.
RUN ["/usr/local/bin/kore-sim", "--help"]
USER 10001:10001
ENV PATH=/usr/local/bin
EXPOSE 9090
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
  CMD ["campaign-gateway", "healthcheck", "--url", "http://127.0.0.1:9090/__sim/health"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["kore-sim"]
CMD ["--host", "0.0.0.0", "--port", "9090"]

# The gateway image (the default target). The configuration is mounted at /etc/campaign-gateway/config.json, secret
# files under /run/secrets/ (the config names them with {"file": "/run/secrets/..."}), and the audit log goes to
# /var/lib/campaign-gateway/ (a volume; the root filesystem can be read-only).
FROM scratch AS gateway
COPY --from=assemble /rootfs/gateway/ /
COPY --from=assemble --chown=10001:10001 /rootfs/gateway/var/lib/campaign-gateway/ /var/lib/campaign-gateway/
LABEL org.opencontainers.image.title="campaign-gateway" \
      org.opencontainers.image.description="One stable HTTP API for Kore.ai voice and SMS campaigns" \
      org.opencontainers.image.licenses="UNLICENSED"
# Fails the build if a shared library the binary needs is missing from the file set.
RUN ["/usr/local/bin/campaign-gateway", "--version"]
USER 10001:10001
WORKDIR /var/lib/campaign-gateway
ENV PATH=/usr/local/bin GATEWAY_CONFIG=/etc/campaign-gateway/config.json
EXPOSE 8080
# The binary checks itself over a raw socket (there is no shell or curl in the image). It asks
# http://127.0.0.1:8080/healthz: if the configuration listens on another port, override with --url in
# `docker run --health-cmd` or compose's healthcheck.
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 CMD ["campaign-gateway", "healthcheck"]
# SIGTERM drains: /readyz fails, the listener closes, in-flight requests finish within shutdownGraceSeconds, exit 0.
# Give `docker stop` a longer timeout than shutdownGraceSeconds (docker stop -t, compose stop_grace_period).
STOPSIGNAL SIGTERM
ENTRYPOINT ["campaign-gateway"]
CMD ["serve"]
