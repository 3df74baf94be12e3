// swift-tools-version:6.0
import PackageDescription

// Target layout follows ../shared/design/ARCHITECTURE.md §2. The pure targets (VellumMerkle,
// VellumNote) depend on nothing heavier than swift-crypto so their tests build in about a minute.
let package = Package(
    name: "Vellum",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "VellumMerkle", targets: ["VellumMerkle"]),
        .library(name: "VellumNote", targets: ["VellumNote"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.0.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.10.0"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.3.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.5.0"),
        // Already built for Hummingbird; named here for the soak's load generator (VellumBench).
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
        // The monitor's watch list is YAML, as rekor-monitor's configuration is.
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.0.0"),
        // The PostgreSQL store (issue 21): the maintained Swift client of PostgreSQL's protocol.
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.0"),
        // Already built for postgres-nio; named for its TLS context (sslmode=prefer|require).
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.25.0"),
        // Uploads forwarded from a node that does not sequence to the one that does: kept-alive,
        // pooled connections. URLSession opened a connection per forward (1,159 sockets in
        // TIME_WAIT after 10 s), at 789 µs of the forwarding node's CPU per upload.
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
    ],
    targets: [
        // SHA-256 through the system libcrypto (libssl-dev) with a reused EVP_MD_CTX per thread:
        // the benchmark (`scripts/bench merkle`) measures it ~1.5x faster than swift-crypto for
        // the 65-byte node hashes that dominate integration and proof building.
        .target(
            name: "CVellumSHA256",
            linkerSettings: [.linkedLibrary("crypto")]
        ),
        // libcrypto signatures, only so the benchmark can compare them with swift-crypto's.
        .target(
            name: "CVellumBenchCrypto",
            linkerSettings: [.linkedLibrary("crypto")]
        ),
        // Locked: Synchronization.Mutex with its critical sections visible to ThreadSanitizer
        // (scripts/sanitize thread); no dependency beyond the standard library.
        .target(name: "CVellumSync"),
        .target(
            name: "VellumSync",
            dependencies: ["CVellumSync"]
        ),
        .target(
            name: "VellumMerkle",
            dependencies: ["CVellumSHA256", "VellumSync"]
        ),
        .target(
            name: "VellumNote",
            dependencies: [
                "VellumMerkle",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "VellumStorage",
            dependencies: ["VellumSync", "VellumMerkle"]
        ),
        .target(
            name: "VellumSequencer",
            dependencies: [
                "VellumSync", "VellumMerkle", "VellumNote", "VellumStorage",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The system SQLite (libsqlite3-dev), wrapped thinly by VellumSQLite.
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .target(
            name: "VellumSQLite",
            dependencies: ["VellumSync", "CSQLite", "VellumStorage", "VellumMerkle"]
        ),
        // The log on PostgreSQL, for several nodes sharing one log: the same storage protocols
        // as VellumSQLite plus the sequencer lease and its fencing token.
        .target(
            name: "VellumPostgres",
            dependencies: [
                "VellumSync", "VellumStorage", "VellumMerkle",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // libsodium (libsodium-dev): Ed25519, and the group operations Ed25519ph over a
        // client's digest is checked with (neither swift-crypto nor OpenSSL 3.0 has Ed25519ph).
        .systemLibrary(
            name: "CSodium",
            pkgConfig: "libsodium",
            providers: [.apt(["libsodium-dev"])]
        ),
        // Rekor v1 entry types: hashedrekord validation, canonical bodies, entry IDs, SETs, wire JSON.
        // No HTTP here, so its tests build without Hummingbird.
        .target(
            name: "VellumRekor",
            dependencies: [
                "VellumMerkle", "VellumNote", "CSodium",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
        // The HTTP layer: Rekor v1 API, tlog-tiles read API, metrics, health.
        .target(
            name: "VellumServer",
            dependencies: [
                "VellumSync", "VellumMerkle", "VellumNote", "VellumStorage", "VellumSequencer", "VellumRekor",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        // Monitor and verify: read any log through tiles or the Rekor v1 API and trust nothing
        // it says without checking. HTTP through Foundation's URLSession (libcurl), which comes
        // with the toolchain; never imports the server side.
        .target(
            name: "VellumClient",
            dependencies: [
                "VellumSync", "VellumMerkle", "VellumNote", "VellumRekor",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .executableTarget(
            name: "vellum",
            dependencies: [
                "VellumServer", "VellumClient", "VellumSync", "VellumStorage",
                "VellumSQLite", "VellumPostgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                // monitor --metrics-listen: /metrics for a monitor daemon.
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                // trust-root: the log key's SPKI, and the Fulcio certificates a trusted root lists.
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
        // The frame address for RepeatedCalls' stack-depth measure (tests only).
        .target(name: "CVellumTesting"),
        .target(
            name: "VellumTesting",
            dependencies: ["VellumSync", "VellumMerkle", "VellumNote", "VellumStorage", "VellumSequencer", "CVellumTesting"]
        ),
        .executableTarget(
            name: "VellumBench",
            dependencies: [
                "VellumSync", "VellumMerkle", "VellumNote", "VellumTesting", "VellumStorage", "VellumSequencer", "VellumSQLite",
                "VellumPostgres", "CVellumSHA256", "CVellumBenchCrypto", "VellumRekor",
                // monitor-log fills a data directory through the server's own log and validation.
                "VellumServer", "VellumClient",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "VellumMerkleTests",
            dependencies: ["VellumMerkle", "VellumTesting"]
        ),
        .testTarget(
            name: "VellumNoteTests",
            dependencies: ["VellumNote", "VellumMerkle", "VellumTesting"]
        ),
        .testTarget(
            name: "VellumStorageTests",
            dependencies: ["VellumStorage", "VellumMerkle", "VellumTesting"]
        ),
        .testTarget(
            name: "VellumSequencerTests",
            dependencies: ["VellumSync", "VellumSequencer", "VellumStorage", "VellumSQLite", "VellumNote", "VellumMerkle", "VellumTesting"]
        ),
        .testTarget(
            name: "VellumRekorTests",
            dependencies: ["VellumRekor", "VellumMerkle", "VellumNote", "CSodium", "VellumTesting",
                           .product(name: "Crypto", package: "swift-crypto"),
                           .product(name: "_CryptoExtras", package: "swift-crypto"),
                           .product(name: "X509", package: "swift-certificates"),
                           .product(name: "SwiftASN1", package: "swift-asn1")]
        ),
        .testTarget(
            name: "VellumServerTests",
            dependencies: ["VellumSync", "VellumServer", "VellumClient", "VellumSQLite", "VellumPostgres", "VellumStorage", "VellumRekor", "VellumMerkle", "VellumNote", "VellumTesting",
                           .product(name: "Crypto", package: "swift-crypto"),
                           .product(name: "Logging", package: "swift-log"),
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                           .product(name: "X509", package: "swift-certificates"),
                           .product(name: "SwiftASN1", package: "swift-asn1")]
        ),
        .testTarget(
            name: "VellumClientTests",
            dependencies: ["VellumClient", "VellumRekor", "VellumMerkle", "VellumNote", "VellumSync", "VellumTesting",
                           .product(name: "Crypto", package: "swift-crypto"),
                           .product(name: "X509", package: "swift-certificates"),
                           .product(name: "SwiftASN1", package: "swift-asn1")]
        ),
        .testTarget(
            name: "VellumPostgresTests",
            dependencies: ["VellumSync", "VellumPostgres", "VellumStorage", "VellumMerkle", "VellumTesting"]
        ),
        .testTarget(
            name: "VellumSQLiteTests",
            dependencies: ["VellumSync", "VellumSQLite", "VellumStorage", "VellumTesting"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
