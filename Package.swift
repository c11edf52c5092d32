// swift-tools-version:6.0
// Campaign Gateway: the toolchain alone, no package dependencies. docs/ARCHITECTURE.md explains the targets.
import PackageDescription

// MemberImportVisibility: a file sees only the extension members of modules it imports itself, so one file's
// import (say, of Foundation) cannot silently make its String helpers available to the whole target.
let strict: [SwiftSetting] = [.swiftLanguageMode(.v6), .enableUpcomingFeature("MemberImportVisibility")]

let package = Package(
    name: "CampaignGateway",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "campaign-gateway", targets: ["campaign-gateway"]),
        .executable(name: "kore-sim", targets: ["kore-sim"]),
    ],
    targets: [
        // epoll / eventfd / timerfd / accept4 are not exported by Glibc; this shim only includes the headers.
        .target(name: "CEpoll"),
        // The argc and argv the C library passes to the executable's initializers: the command line without /proc.
        // DWARF 4: valgrind (the profile script runs the gateway under callgrind) gives up on clang's default DWARF 5.
        .target(name: "CProcessArguments", cSettings: [.unsafeFlags(["-gdwarf-4"])]),
        // Byte-level text codings every layer shares: hex digits, percent-decoding, JSON string escaping.
        .target(name: "TextCoding", swiftSettings: strict),
        // File descriptors, epoll, the wake-up eventfd, timers and signals. Knows nothing of HTTP.
        .target(name: "Transport", dependencies: ["CEpoll", "TextCoding"], swiftSettings: strict),
        // Byte classes and the chunk-size line, shared by the server's request parser and the client's response parser.
        .target(name: "HTTPCore", dependencies: ["TextCoding"], swiftSettings: strict),
        // HTTP/1.1 parser, encoder, connection state machine and server. Knows nothing of campaigns; whoever builds
        // a server says how its rejections are rendered.
        .target(name: "HTTPServer", dependencies: ["Transport", "TextCoding", "HTTPCore"], swiftSettings: strict),
        // The system's OpenSSL (libssl-dev at build time, libssl3 at run time), for the clients' TLS.
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl",
                       providers: [.apt(["libssl-dev"]), .yum(["openssl-devel"])]),
        // TLS on a non-blocking client socket (context, handshake, reads and writes), shared by both clients.
        .target(name: "ClientTLS", dependencies: ["COpenSSL"], swiftSettings: strict),
        // HTTP/1.1 client on the event loops: pooled connections, a strict response parser, TLS, an egress proxy.
        // Knows nothing of Kore.ai.
        .target(name: "HTTPClient", dependencies: ["Transport", "HTTPCore", "ClientTLS", "COpenSSL", "TextCoding"], swiftSettings: strict),
        // Redis (RESP2) client on the event loops: one pipelined connection per loop, a strict reply parser, TLS,
        // AUTH and SELECT, per-command deadlines, reconnect with backoff, scripts. Knows nothing of campaigns.
        .target(name: "RedisClient", dependencies: ["Transport", "ClientTLS", "COpenSSL"], swiftSettings: strict),
        // SHA-256, SHA-512, HMAC, Base64url, JWT compact serialization, secure random.
        .target(name: "GatewayCrypto", dependencies: ["JSONCore", "TextCoding"], swiftSettings: strict),
        // A small ordered JSON value with its own reader and writer (bytes in, bytes out).
        .target(name: "JSONCore", dependencies: ["TextCoding"], swiftSettings: strict),
        // Kore.ai: URL schemes, token minting, normalization, validation. Knows nothing of sockets.
        .target(name: "KoreAdapter", dependencies: ["GatewayCrypto", "JSONCore", "TextCoding"], swiftSettings: strict),
        // The configuration file: its types, the loader and secret sources. Shared by both executables.
        .target(name: "GatewayConfiguration", dependencies: ["CProcessArguments", "GatewayCrypto", "JSONCore", "KoreAdapter"], swiftSettings: strict),
        // The production library: callers, routing, policy, observability and the upstream call, wired together.
        .target(name: "Gateway", dependencies: ["HTTPServer", "HTTPClient", "RedisClient", "Transport", "TextCoding", "GatewayCrypto", "JSONCore", "KoreAdapter", "GatewayConfiguration"],
                swiftSettings: strict),
        // A stand-in for Kore.ai's campaign API, for demos and tests. Not part of the production library.
        .target(name: "KoreSimulator", dependencies: ["HTTPServer", "GatewayCrypto", "JSONCore", "TextCoding"], swiftSettings: strict),
        // The embedded demo: an in-process simulator and a gateway configuration pointing at it.
        .target(name: "GatewayDemo", dependencies: ["Gateway", "GatewayConfiguration", "KoreSimulator", "HTTPServer", "Transport", "KoreAdapter", "GatewayCrypto"],
                swiftSettings: strict),
        .executableTarget(name: "campaign-gateway", dependencies: ["Gateway", "GatewayConfiguration", "GatewayDemo"], swiftSettings: strict),
        .executableTarget(name: "kore-sim", dependencies: ["KoreSimulator", "GatewayConfiguration", "HTTPServer", "Transport"], swiftSettings: strict),

        // What the test targets share: a raw HTTP client, a free-port finder, a child-process runner that does not
        // use Foundation's Process, a Python runner and a manual clock.
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: strict),
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer", "Transport", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "HTTPClientTests", dependencies: ["HTTPClient", "HTTPCore", "Transport", "HTTPServer", "TestSupport"], exclude: ["Scripts"],
                    swiftSettings: strict),
        .testTarget(name: "RedisClientTests", dependencies: ["RedisClient", "Transport", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "GatewayCryptoTests", dependencies: ["GatewayCrypto", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "JSONCoreTests", dependencies: ["JSONCore", "TextCoding", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "KoreAdapterTests", dependencies: ["KoreAdapter", "JSONCore", "GatewayCrypto", "TestSupport"],
                    resources: [.copy("Fixtures")], swiftSettings: strict),
        .testTarget(name: "KoreSimulatorTests", dependencies: ["KoreSimulator", "HTTPServer", "JSONCore", "GatewayCrypto", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "GatewayTests", dependencies: ["Gateway", "RedisClient", "GatewayConfiguration", "GatewayDemo", "KoreSimulator", "HTTPServer", "Transport",
                                                         "JSONCore", "GatewayCrypto", "KoreAdapter", "TestSupport"], swiftSettings: strict),
    ]
)
