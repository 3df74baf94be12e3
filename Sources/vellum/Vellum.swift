import ArgumentParser
import Foundation
import Hummingbird
import Logging
import VellumPostgres
import VellumServer
import VellumSQLite
import VellumStorage

@main
struct Vellum: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vellum",
        abstract: "An append-only transparency log with the Rekor v1 API and the C2SP tlog-tiles read API.",
        subcommands: [Serve.self, Keygen.self, TrustRoot.self, MonitorCommand.self, VerifyCommand.self],
        defaultSubcommand: Serve.self)
}

/// Every option can also come from the environment (`VELLUM_…`); a flag wins over a variable.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the log server (creates the data directory and keys on first start).")

    @Option(help: "Address to listen on, host:port (env VELLUM_LISTEN; default 127.0.0.1:3000).")
    var listen: String?
    @Option(help: "Directory for the SQLite database and the keys (env VELLUM_DATA_DIR; default ./vellum-data).")
    var dataDir: String?
    @Option(help: "Checkpoint origin host and signature name (env VELLUM_HOSTNAME; default: this machine's host name; fixed after first start).")
    var hostname: String?
    @Option(help: "Tree ID, a positive int64 (env VELLUM_TREE_ID; default: random on first start, then the stored one).")
    var treeId: Int64?
    @Option(help: "Entries per batch at most (env VELLUM_MAX_BATCH_SIZE; default 1024).")
    var maxBatchSize: Int?
    @Option(help: "Milliseconds a batch waits for more entries at most (env VELLUM_MAX_BATCH_AGE_MS; default 2).")
    var maxBatchAgeMs: Int?
    @Option(help: "Largest request body in bytes; larger gets 413 (env VELLUM_MAX_REQUEST_BYTES; default 1048576).")
    var maxRequestBytes: Int?
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical (env VELLUM_LOG_LEVEL; default info).")
    var logLevel: String?
    @Option(help: "SQLite page size in bytes for a new database, a power of two from 512 to 65536; an existing database keeps its own (env VELLUM_PAGE_SIZE; default 16384; 4096 writes less at low rates).")
    var pageSize: Int?
    @Option(help: "The store: sqlite:PATH, or postgres://user[:password]@host[:port]/database[?sslmode=disable|prefer|require] shared by any number of nodes (parts left out come from PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, PGSSLMODE) (env VELLUM_STORE; default sqlite:<data dir>/vellum.sqlite).")
    var store: String?
    @Option(help: "With a postgres:// store: the URL other nodes forward uploads to while this one sequences (env VELLUM_ADVERTISE; default http://<listen address>).")
    var advertise: String?
    @Option(help: "With a postgres:// store: seconds the writer lease lasts without renewal; a dead sequencer is replaced within about this long (env VELLUM_LEASE_SECONDS; default 3).")
    var leaseSeconds: Int?
    @Option(help: "Also write the tlog-tiles read API (checkpoint, tiles, entry bundles) as static files into this directory after each batch, for nginx or a CDN to serve (env VELLUM_TILES_DIR; default: not written).")
    var tilesDir: String?
    @Flag(help: "Keep each intoto entry's statement and return it on reads as attestation.data, outside the SET (env VELLUM_ATTESTATION_STORAGE=1; default off, as in Rekor).")
    var attestationStorage = false
    @Option(help: "Largest statement kept with --attestation-storage, in bytes; larger ones are not kept (env VELLUM_MAX_ATTESTATION_BYTES; default 102400).")
    var maxAttestationBytes: Int?

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        func setting(_ flag: String?, _ variable: String) -> String? { flag ?? environment[variable] }

        let levelText = setting(logLevel, "VELLUM_LOG_LEVEL") ?? "info"
        guard let level = Logger.Level(rawValue: levelText) else {
            throw ValidationError("unknown log level \(levelText); use trace, debug, info, notice, warning, error or critical")
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var logger = Logger(label: "vellum")
        logger.logLevel = level

        var configuration = ServerConfiguration()
        let address = setting(listen, "VELLUM_LISTEN") ?? "\(configuration.host):\(configuration.port)"
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]),
              (0...65535).contains(port) else {
            throw ValidationError("--listen must be host:port, got \(address)")
        }
        configuration.host = String(address[..<colon])
        configuration.port = port
        configuration.dataDirectory = setting(dataDir, "VELLUM_DATA_DIR") ?? configuration.dataDirectory
        configuration.hostname = setting(hostname, "VELLUM_HOSTNAME") ?? configuration.hostname
        configuration.tilesDirectory = setting(tilesDir, "VELLUM_TILES_DIR").flatMap { $0.isEmpty ? nil : $0 }
        /// An integer option from its flag or variable, at least `minimum`; nil when neither is set.
        func integer<Value: FixedWidthInteger>(_ flag: Value?, _ variable: String, name: String,
                                               minimum: Value) throws -> Value? {
            guard let text = flag.map({ "\($0)" }) ?? environment[variable] else { return nil }
            guard let value = Value(text), value >= minimum else {
                throw ValidationError("--\(name) must be an integer ≥ \(minimum), got \(text)")
            }
            return value
        }
        if let value = try integer(treeId, "VELLUM_TREE_ID", name: "tree-id", minimum: 1) { configuration.treeID = value }
        if let value = try integer(maxBatchSize, "VELLUM_MAX_BATCH_SIZE", name: "max-batch-size", minimum: 1) {
            configuration.maxBatchSize = value
        }
        if let value = try integer(maxBatchAgeMs, "VELLUM_MAX_BATCH_AGE_MS", name: "max-batch-age-ms", minimum: 0) {
            configuration.maxBatchAge = .milliseconds(value)
        }
        if let value = try integer(maxRequestBytes, "VELLUM_MAX_REQUEST_BYTES", name: "max-request-bytes", minimum: 1024) {
            configuration.maxRequestBytes = value
        }
        var sqlite = SQLiteConfiguration()
        if let value = try integer(pageSize, "VELLUM_PAGE_SIZE", name: "page-size", minimum: 512) {
            guard SQLiteConfiguration.isValidPageSize(value) else {
                throw ValidationError("--page-size must be a power of two from 512 to 65536, got \(value)")
            }
            sqlite.pageSizeBytes = value
        }

        configuration.attestationStorage = attestationStorage || ["1", "true", "yes"].contains(environment["VELLUM_ATTESTATION_STORAGE"]?.lowercased() ?? "")
        if let value = try integer(maxAttestationBytes, "VELLUM_MAX_ATTESTATION_BYTES", name: "max-attestation-bytes", minimum: 0) {
            configuration.maxAttestationBytes = value
        }

        // The only place a store is chosen (ARCHITECTURE.md §2).
        let storeText = setting(store, "VELLUM_STORE") ?? "sqlite:" + configuration.databasePath
        let storage: any ServedLogStorage
        let storeDescription: String
        if storeText.hasPrefix("sqlite:") {
            let path = String(storeText.dropFirst("sqlite:".count))
            try FileManager.default.createDirectory(atPath: configuration.dataDirectory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            storage = try SQLiteLogStorage(path: path, readers: configuration.readers, configuration: sqlite)
            storeDescription = path
        } else if storeText.lowercased().hasPrefix("postgres://") || storeText.lowercased().hasPrefix("postgresql://") {
            // Only the keys live in the data directory; the tree ID and origin are in the database.
            let location = try PostgresLocation(parsing: storeText)
            let lease = try integer(leaseSeconds, "VELLUM_LEASE_SECONDS", name: "lease-seconds", minimum: 1) ?? 3
            storage = try PostgresLogStorage.open(location: location, readers: configuration.readers,
                                                  leaseDuration: .seconds(lease), logger: logger)
            configuration.advertisedAddress = setting(advertise, "VELLUM_ADVERTISE")
            storeDescription = location.description
        } else {
            throw ValidationError("--store must be sqlite:PATH or postgres://user@host:port/database, got \(storeText)")
        }
        let (log, created) = try RekorLog.open(configuration: configuration, storage: storage, logger: logger)
        for path in created { logger.notice("created a new key (mode 0600); back it up", metadata: ["path": "\(path)"]) }
        logger.notice("log open", metadata: [
            "origin": "\(log.origin)", "treeID": "\(log.treeID)", "logID": "\(log.logID.hex)",
            "store": "\(storeDescription)", "noteVerifierKey": "\(log.noteVerifierKey)",
        ])
        let host = configuration.host
        let startLogger = logger
        let app = VellumApplication.build(configuration: configuration, log: log, logger: logger) { port in
            startLogger.notice("listening", metadata: ["address": "http://\(host):\(port)"])
        }
        try await app.runService()
    }
}

struct Keygen: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create the log key (ECDSA P-256) and the note key (Ed25519) in the data directory.")

    @Option(help: "Directory for the keys (env VELLUM_DATA_DIR; default ./vellum-data).")
    var dataDir: String?

    func run() throws {
        let directory = dataDir ?? ProcessInfo.processInfo.environment["VELLUM_DATA_DIR"] ?? ServerConfiguration().dataDirectory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        for path in try LogKeys.create(in: directory) { print("created \(path) (mode 0600)") }
    }
}
