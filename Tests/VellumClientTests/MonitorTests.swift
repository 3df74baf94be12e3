import Crypto
import Foundation
import Testing
import VellumClient
import VellumMerkle
import VellumNote
import VellumSync

/// The monitor against a log that lies: every lie is caught with the right finding, an honest
/// log gives none, and an interrupted catch-up neither loses nor repeats a finding.
@Suite struct MonitorTests {
    static let signer = try! ECDSANoteSigner.generate(name: "lying.test")

    struct Run {
        let summary: Monitor.Summary
        let findings: [Finding]
    }

    static func directory() -> String {
        let path = NSTemporaryDirectory() + "vellum-monitor-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func poll(_ log: LyingLog, api: LogAPI = .tiles, state: String, watch: String? = nil, fromIndex: UInt64? = nil,
                     peers: [LyingLog] = [], output: String? = nil) async throws -> Run {
        let lines = Locked<[String]>([])
        let sink = try FindingSink(outputPath: output, webhook: nil, maxAttempts: 1) { line in lines.withLock { $0.append(line) } }
        // Chunks of 8,192 entries through tiles, so the tests' logs span several.
        var source = api.source(log)
        if var tiles = source as? TilesSource {
            tiles.chunkEntries = 8192
            source = tiles
        }
        let monitor = Monitor(source: source, key: try LogKey(pem: log.publicKeyPEM),
                              configuration: .init(stateDirectory: state, watchList: try watch.map { try WatchList(yaml: $0) } ?? WatchList(),
                                                   fromIndex: fromIndex, peers: peers.map { api.source($0) }),
                              sink: sink)
        let summary = try await monitor.poll()
        let findings = try lines.withLock { $0 }.map { try JSONDecoder().decode(Finding.self, from: Data($0.utf8)) }
        #expect(findings.count == summary.findings)
        return Run(summary: summary, findings: findings)
    }

    @Test(arguments: LogAPI.allCases)
    func anHonestLogGivesNoFindingAndIsVerifiedAtEveryPoll(api: LogAPI) async throws {
        let log = LyingLog(signer: Self.signer)
        let state = Self.directory()
        #expect(try await Self.poll(log, api: api, state: state).summary.verifiedSize == nil, "an empty log verifies nothing")
        log.append(TestEntries.filler(700))
        var run = try await Self.poll(log, api: api, state: state)
        #expect(run.findings.isEmpty)
        #expect(run.summary.verifiedSize == 700 && run.summary.scanned == 700)
        log.append(TestEntries.filler(333))
        run = try await Self.poll(log, api: api, state: state)
        #expect(run.findings.isEmpty && run.summary.verifiedSize == 1033 && run.summary.scanned == 333)
        run = try await Self.poll(log, api: api, state: state)
        #expect(run.findings.isEmpty && run.summary.scanned == 0 && run.summary.verifiedSize == 1033)
    }

    @Test(arguments: LogAPI.allCases)
    func aForkAfterAVerifiedCheckpointIsInconsistentWithBothCheckpointsAsEvidence(api: LogAPI) async throws {
        let log = LyingLog(signer: Self.signer)
        let state = Self.directory()
        log.append(TestEntries.filler(300))
        let first = try await Self.poll(log, api: api, state: state)
        #expect(first.findings.isEmpty)
        log.fork(at: 200, with: TestEntries.filler(250))
        let run = try await Self.poll(log, api: api, state: state)
        let finding = try #require(run.findings.first)
        #expect(run.findings.count == 1 && finding.kind == .inconsistent, "\(run.findings)")
        #expect(finding.checkpoints?.count == 2 && finding.proof?.isEmpty == false)
        let key = try LogKey(pem: log.publicKeyPEM)
        let sizes = try finding.checkpoints!.map { try key.open($0).checkpoint.size }
        #expect(sizes == [300, 450], "both signed checkpoints verify with the log key: the evidence stands alone")
        #expect(run.summary.verifiedSize == 300 && run.summary.scanned == 0, "nothing past the fork is scanned or trusted")
    }

    @Test func oneSizeWithTwoRootsIsInconsistent() async throws {
        let log = LyingLog(signer: Self.signer)
        let state = Self.directory()
        log.append(TestEntries.filler(300))
        _ = try await Self.poll(log, state: state)
        log.fork(at: 100, with: TestEntries.filler(200))
        let run = try await Self.poll(log, state: state)
        #expect(run.findings.map(\.kind) == [.inconsistent])
        #expect(run.findings.first?.reason.contains("two roots for size 300") == true)
    }

    @Test(arguments: LogAPI.allCases)
    func aSmallerCheckpointIsARollback(api: LogAPI) async throws {
        let log = LyingLog(signer: Self.signer)
        let state = Self.directory()
        log.append(TestEntries.filler(300))
        _ = try await Self.poll(log, api: api, state: state)
        log.append(TestEntries.filler(200))
        _ = try await Self.poll(log, api: api, state: state)
        log.lie { $0.checkpointSize = 300 }
        let run = try await Self.poll(log, api: api, state: state)
        #expect(run.findings.map(\.kind) == [.rollback])
        #expect(run.summary.verifiedSize == 500)
    }

    @Test(arguments: LogAPI.allCases)
    func entriesOtherThanTheSignedOnesAreARootMismatch(api: LogAPI) async throws {
        let log = LyingLog(signer: Self.signer)
        let state = Self.directory()
        log.append(TestEntries.filler(600))
        log.lie { $0.swappedEntries = [517: TestEntries.filler(1)[0]] }
        let run = try await Self.poll(log, api: api, state: state)
        #expect(run.findings.map(\.kind) == [.rootMismatch])
        #expect(run.findings.first?.computedRoot != nil && run.findings.first?.checkpoints?.count == 1)
        #expect(run.summary.verifiedSize == nil)
        // The next poll rescans from the last verified point and catches it again; once the
        // log serves the right entries the tree verifies.
        #expect(try await Self.poll(log, api: api, state: state).findings.map(\.kind) == [.rootMismatch])
        log.lie { $0.swappedEntries = [:] }
        let honest = try await Self.poll(log, api: api, state: state)
        #expect(honest.findings.isEmpty && honest.summary.verifiedSize == 600)
    }

    @Test func aScanThatReadEverythingButDiedBeforeTheRootCheckIsJudgedOnTheNextPoll() async throws {
        let log = LyingLog(signer: Self.signer)
        let state = Self.directory()
        log.append(TestEntries.filler(300))
        _ = try await Self.poll(log, state: state)
        // The state a crash after the last chunk's write leaves: every entry read, the target
        // not yet verified.
        let path = state + "/state.json"
        var stored = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
        stored["target"] = stored["verified"]
        stored["verified"] = nil
        var base = stored["base"] as! [String: Any]
        base["position"] = 0
        base["roots"] = []
        stored["base"] = base
        try JSONSerialization.data(withJSONObject: stored).write(to: URL(fileURLWithPath: path))
        let run = try await Self.poll(log, state: state)
        #expect(run.findings.isEmpty && run.summary.scanned == 0)
        #expect(run.summary.verifiedSize == 300, "the root was judged without waiting for the log to grow")
    }

    @Test func aCheckpointSignedWithAnotherKeyIsABadSignature() async throws {
        let log = LyingLog(signer: Self.signer)
        let state = Self.directory()
        log.append(TestEntries.filler(10))
        log.lie { $0.wrongSigner = try! ECDSANoteSigner.generate(name: "lying.test") }
        let run = try await Self.poll(log, state: state)
        #expect(run.findings.map(\.kind) == [.badSignature])
        #expect(run.summary.scanned == 0)
    }

    @Test(arguments: LogAPI.allCases)
    func aPeerThatSeesAnotherTreeIsASplitView(api: LogAPI) async throws {
        let entries = TestEntries.filler(400)
        let log = LyingLog(signer: Self.signer), peer = LyingLog(base: "http://peer.test", signer: Self.signer)
        log.append(entries)
        peer.append(Array(entries.prefix(250)))
        let stale = try await Self.poll(log, api: api, state: Self.directory(), peers: [peer])
        #expect(stale.findings.isEmpty, "a peer behind the log on the same tree is only stale")
        peer.fork(at: 100, with: TestEntries.filler(500))
        let run = try await Self.poll(log, api: api, state: Self.directory(), peers: [peer])
        #expect(run.findings.map(\.kind) == [.inconsistent], "\(run.findings)")
        #expect(run.findings.first?.checkpoints?.count == 2)
    }
}
