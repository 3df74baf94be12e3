import Foundation
import Testing
import VellumClient
import VellumSync

/// The webhook: retried with backoff until it takes a finding; a poll whose findings the
/// webhook never took fails and leaves the state where it was, so the next poll delivers them.
@Suite struct FindingSinkTests {
    /// A webhook that answers 503 to its first `failures` POSTs, then 204; it records what it took.
    final class Webhook: LogTransport, @unchecked Sendable {
        let base = "http://webhook.test"
        let state: Locked<(failures: Int, taken: [String])>

        init(failures: Int) { state = Locked((failures, [])) }

        var taken: [String] { state.withLock { $0.taken } }
        func heal() { state.withLock { $0.failures = 0 } }

        func get(_ path: String) async throws(ClientError) -> HTTPReply { HTTPReply(status: 405, body: []) }

        func post(_ path: String, json: [UInt8]) async throws(ClientError) -> HTTPReply {
            state.withLock { state in
                if state.failures > 0 {
                    state.failures -= 1
                    return HTTPReply(status: 503, body: [])
                }
                state.taken.append(String(decoding: json, as: UTF8.self))
                return HTTPReply(status: 204, body: [])
            }
        }
    }

    static func monitor(_ log: LyingLog, state: String, webhook: Webhook, attempts: Int) throws -> Monitor {
        let watch = "digests: [\"sha256:\(String(repeating: "ab", count: 32))\"]"
        let sink = try FindingSink(outputPath: state + "/findings.jsonl", webhook: (webhook, "/hook"), maxAttempts: attempts) { _ in }
        return Monitor(source: LogAPI.tiles.source(log), key: try LogKey(pem: log.publicKeyPEM),
                       configuration: .init(stateDirectory: state, watchList: try WatchList(yaml: watch)), sink: sink)
    }

    static func log() -> LyingLog {
        let log = LyingLog(signer: MonitorTests.signer)
        let pem = TestEntries.certificatePEM(key: .init(), email: "x@example.test")
        log.append(TestEntries.filler(300) + [TestEntries.hashedrekord(pem: pem, digest: String(repeating: "ab", count: 32))] + TestEntries.filler(20))
        return log
    }

    @Test func aWebhookThatFailsIsRetriedUntilItTakesTheFinding() async throws {
        let webhook = Webhook(failures: 2)
        let summary = try await Self.monitor(Self.log(), state: MonitorTests.directory(), webhook: webhook, attempts: 5).poll()
        #expect(summary.findings == 1)
        #expect(webhook.taken.count == 1 && webhook.taken[0].contains("\"logIndex\":300"))
    }

    @Test func aFindingTheWebhookNeverTookKeepsTheStateBack() async throws {
        let log = Self.log()
        let state = MonitorTests.directory()
        let webhook = Webhook(failures: 1_000)
        await #expect(throws: ClientError.self) { try await Self.monitor(log, state: state, webhook: webhook, attempts: 2).poll() }
        #expect(webhook.taken.isEmpty)
        // No state was written: the first chunk's finding was never delivered.
        #expect(!FileManager.default.fileExists(atPath: state + "/state.json"), "the state did not move past the undelivered finding")
        webhook.heal()
        let summary = try await Self.monitor(log, state: state, webhook: webhook, attempts: 2).poll()
        #expect(summary.findings == 1 && summary.verifiedSize == 321)
        #expect(webhook.taken.count == 1)
        let lines = try String(contentsOfFile: state + "/findings.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 1, "the output file has the finding once")
    }
}
