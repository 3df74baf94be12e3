import ArgumentParser
import Foundation
import VellumClient

/// `vellum monitor`: follow a log, verify every checkpoint and audit every entry, report what
/// the watch list names and any evidence of misbehaviour.
struct MonitorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "monitor",
        abstract: "Follow a log (Vellum, any Rekor v1 log, any tlog-tiles log): verify its checkpoints and audit its entries.",
        discussion: """
        Findings are printed as JSON lines: match, inconsistent, rollback, bad-signature, root-mismatch, \
        unparsable-entry. With --once the exit status is 0 when nothing was found, 1 when anything was, \
        3 on an operational error (log unreachable, state unreadable, finding undeliverable). \
        Every option can also come from the environment (VELLUM_MONITOR_…); a flag wins over a variable.
        """)

    @Option(help: "Base URL of the log, e.g. https://rekor.sigstore.dev (env VELLUM_MONITOR_LOG).")
    var log: String?
    @Option(help: "PEM file with the log's public key, ECDSA P-256 or Ed25519 (env VELLUM_MONITOR_LOG_KEY).")
    var logKey: String?
    @Option(help: "The log's note verifier key, name+hash+base64, instead of --log-key (env VELLUM_MONITOR_VERIFIER_KEY).")
    var verifierKey: String?
    @Option(help: "Directory for the monitor's state; one per log (env VELLUM_MONITOR_STATE).")
    var state: String?
    @Option(help: "YAML watch list: identities, fingerprints, digests, extensions (env VELLUM_MONITOR_WATCH).")
    var watch: String?
    @Flag(help: "Poll once and exit with 0 (nothing found), 1 (something found) or 3 (operational error).")
    var once = false
    @Option(help: "Seconds between polls when running as a daemon (env VELLUM_MONITOR_INTERVAL; default 300).")
    var interval: Int?
    @Option(help: "First index to audit on a log this state directory has never seen (default 0: the whole log).")
    var fromIndex: UInt64?
    @Option(help: "API to read the log through: tiles, v1 or auto (env VELLUM_MONITOR_API; default auto: tiles when /checkpoint answers).")
    var api: String?
    @Option(help: "File to append findings to as JSON lines, fsynced (env VELLUM_MONITOR_OUTPUT).")
    var output: String?
    @Option(help: "URL to POST each finding to as JSON, retried with backoff (env VELLUM_MONITOR_WEBHOOK).")
    var webhook: String?
    @Option(help: "Another address of the same log (mirror, cache) whose checkpoint must agree; repeatable.")
    var peer: [String] = []
    @Option(help: "host:port to serve Prometheus metrics on (/metrics) while running as a daemon (env VELLUM_MONITOR_METRICS_LISTEN).")
    var metricsListen: String?

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        func setting(_ flag: String?, _ variable: String) -> String? { flag ?? environment["VELLUM_MONITOR_" + variable] }
        guard let logURL = setting(log, "LOG") else { throw ValidationError("--log URL is required") }
        guard let stateDirectory = setting(state, "STATE") else { throw ValidationError("--state DIR is required") }
        let intervalSeconds = try setting(interval.map(String.init), "INTERVAL").map { text in
            guard let value = Int(text), value >= 1 else { throw ValidationError("--interval must be a whole number of seconds ≥ 1, got \(text)") }
            return value
        } ?? 300

        do {
            let key = try Self.key(pemFile: setting(logKey, "LOG_KEY"), verifierKey: setting(verifierKey, "VERIFIER_KEY"))
            let watchList = try setting(watch, "WATCH").map { path throws in
                guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                    throw ClientError.configuration("cannot read the watch list \(path)")
                }
                return try WatchList(yaml: text)
            } ?? WatchList()
            try FileManager.default.createDirectory(atPath: stateDirectory, withIntermediateDirectories: true)
            let transport = try URLSessionTransport(base: logURL)
            let apiName = setting(api, "API") ?? "auto"
            let logAPI: LogAPI
            if apiName == "auto" { logAPI = try await LogAPI.probe(transport) } else {
                guard let chosen = LogAPI(rawValue: apiName) else { throw ValidationError("--api must be tiles, v1 or auto, got \(apiName)") }
                logAPI = chosen
            }
            let peers = try peer.map { url throws in logAPI.source(try URLSessionTransport(base: url)) }
            let webhookTransport = try setting(webhook, "WEBHOOK").map { url throws in (transport: try URLSessionTransport(base: url) as any LogTransport, path: "") }
            let sink = try FindingSink(outputPath: setting(output, "OUTPUT"), webhook: webhookTransport,
                                       maxAttempts: once ? 6 : nil) { line in FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
            let monitor = Monitor(source: logAPI.source(transport), key: key,
                                  configuration: .init(stateDirectory: stateDirectory, watchList: watchList,
                                                       fromIndex: fromIndex, peers: peers),
                                  sink: sink)
            monitor.onProgress = ProgressReport.handler()
            if once {
                let summary = try await monitor.poll()
                ProgressReport.finish()
                throw ExitCode(summary.findings > 0 ? 1 : 0)
            }
            let metrics = MonitorMetrics()
            let metricsServer = try setting(metricsListen, "METRICS_LISTEN").map { try metrics.serve(address: $0) }
            defer { metricsServer?.cancel() }
            while true {
                do {
                    let summary = try await monitor.poll()
                    metrics.record(summary)
                    ProgressReport.finish()
                    ProgressReport.note("poll done: \(summary.scanned) entries scanned, \(summary.findings) findings, verified size \(summary.verifiedSize.map(String.init) ?? "none")")
                } catch {
                    metrics.failedPolls.increment()
                    ProgressReport.finish()
                    ProgressReport.note("poll failed: \(error)")
                }
                try await Task.sleep(nanoseconds: UInt64(intervalSeconds) * 1_000_000_000)
            }
        } catch let error as ClientError {
            ProgressReport.finish()
            FileHandle.standardError.write(Data("vellum monitor: \(error)\n".utf8))
            throw ExitCode(3)
        }
    }

    static func key(pemFile: String?, verifierKey: String?) throws -> LogKey {
        switch (pemFile, verifierKey) {
        case (let path?, nil):
            guard let pem = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw ClientError.configuration("cannot read the log key \(path)")
            }
            return try LogKey(pem: pem)
        case (nil, let vkey?):
            return try LogKey(verifierKey: vkey)
        default:
            throw ValidationError("give exactly one of --log-key PEM_FILE and --verifier-key VKEY")
        }
    }
}
