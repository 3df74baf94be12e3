import ArgumentParser
import Foundation
import VellumClient

/// `vellum verify`: check a receipt offline (a Sigstore bundle or a Rekor v1 LogEntry) with the
/// log's key alone, and say what was checked.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify a receipt from Vellum or Rekor (Sigstore bundle v0.1-v0.3, or Rekor v1 LogEntry JSON) offline.",
        discussion: """
        Checks the SET over the canonical body, the inclusion proof against the signed checkpoint, the \
        checkpoint's signature, that the body matches the bundle's signature, certificate and digest, that the \
        signature verifies, and with --artifact that the artifact is the one signed. Exit status 0 valid, \
        1 invalid, 3 operational error.
        """)

    @Argument(help: "The receipt: a bundle or LogEntry JSON file, or - for stdin.")
    var receipt: String
    @Option(help: "The signed artifact, to check its digest and the signature over it.")
    var artifact: String?
    @Option(help: "PEM file with the log's public key.")
    var logKey: String?
    @Option(help: "The log's note verifier key, name+hash+base64 (checks the checkpoint, not the SET).")
    var verifierKey: String?
    @Option(help: "Fetch the log's public key from this log (trust on first use) instead of --log-key.")
    var log: String?
    @Option(help: "Also fetch this log's current checkpoint and a consistency proof from the receipt's tree.")
    var online: String?
    @Flag(help: "Print the checks as JSON.")
    var json = false

    func run() async throws {
        do {
            let key: LogKey
            if let url = log, logKey == nil, verifierKey == nil {
                let reply = try await URLSessionTransport(base: url).get("/api/v1/log/publicKey")
                guard reply.status == 200 else { throw ClientError.status(url: url + "/api/v1/log/publicKey", status: reply.status, body: reply.text) }
                key = try LogKey(pem: reply.text)
            } else {
                key = try MonitorCommand.key(pemFile: logKey, verifierKey: verifierKey)
            }
            let bytes: [UInt8]
            if receipt == "-" { bytes = Array(FileHandle.standardInput.readDataToEndOfFile()) } else {
                guard let data = FileManager.default.contents(atPath: receipt) else { throw ClientError.configuration("cannot read \(receipt)") }
                bytes = Array(data)
            }
            let artifactBytes = try artifact.map { path throws in
                guard let data = FileManager.default.contents(atPath: path) else { throw ClientError.configuration("cannot read the artifact \(path)") }
                return Array(data)
            }
            let verifier = ReceiptVerifier(key: key)
            var allPassed = true
            var reports: [[String: Any]] = []
            let receipts: [Receipt]
            do { receipts = try Receipt.parse(bytes) } catch {
                // An unreadable receipt is an invalid one, not an operational failure.
                FileHandle.standardError.write(Data("vellum verify: INVALID: \(error)\n".utf8))
                throw ExitCode(1)
            }
            for parsed in receipts {
                var checks = verifier.verify(parsed, artifact: artifactBytes)
                if let online {
                    let transport = try URLSessionTransport(base: online)
                    checks.append(try await verifier.online(parsed, source: try await LogAPI.probe(transport).source(transport)))
                }
                let valid = !checks.contains { $0.outcome == .failed }
                allPassed = allPassed && valid
                if json {
                    reports.append(["receipt": parsed.form, "logIndex": parsed.logIndex, "valid": valid,
                                    "checks": checks.map { ["name": $0.name, "outcome": $0.outcome.rawValue, "detail": $0.detail] }])
                } else {
                    print("\(parsed.form), log index \(parsed.logIndex): \(valid ? "VALID" : "INVALID")")
                    for check in checks { print("  \(check.outcome.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)) \(check.name): \(check.detail)") }
                }
            }
            if json {
                let data = try JSONSerialization.data(withJSONObject: reports.count == 1 ? reports[0] : reports, options: [.sortedKeys, .withoutEscapingSlashes])
                print(String(decoding: data, as: UTF8.self))
            }
            throw ExitCode(allPassed ? 0 : 1)
        } catch let error as ClientError {
            FileHandle.standardError.write(Data("vellum verify: \(error)\n".utf8))
            throw ExitCode(3)
        }
    }
}
