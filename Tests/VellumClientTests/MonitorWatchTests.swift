import Crypto
import Foundation
import Testing
import VellumClient
import VellumMerkle
import VellumNote

/// Watch-list matching on every kind, through both APIs, with certificates made here; a start
/// at --from-index; and a catch-up interrupted again and again that delivers every finding once.
@Suite struct MonitorWatchTests {
    static let aliceKey = P256.Signing.PrivateKey()
    static let alicePEM = TestEntries.certificatePEM(key: aliceKey, email: "alice@example.test")
    static let ciPEM = TestEntries.certificatePEM(
        key: P256.Signing.PrivateKey(), uri: "https://github.com/org/repo/.github/workflows/release.yml@refs/heads/main",
        issuer: "https://token.actions.githubusercontent.com",
        buildSigner: "https://github.com/org/repo/.github/workflows/release.yml@refs/heads/main")
    static let evePEM = TestEntries.certificatePEM(key: P256.Signing.PrivateKey(), email: "alice@example.test.evil")
    static let bareKey = P256.Signing.PrivateKey()
    static let barePEM = bareKey.publicKey.pemRepresentation + "\n"
    static let digest = TestEntries.hex(SHA256.hash(data: Array("the release tarball".utf8)))

    static let watch = """
        identities:
          - san: "alice@example\\\\.test"
            issuer: "https://accounts\\\\.example\\\\.test"
          - san: "https://github\\\\.com/org/.*"
            issuer: "https://token\\\\.actions\\\\.githubusercontent\\\\.com"
        fingerprints:
          - "sha256:\(TestEntries.hex(SHA256.hash(data: bareKey.publicKey.derRepresentation)))"
        digests:
          - "sha256:\(digest)"
        extensions:
          - oid: "1.3.6.1.4.1.57264.1.9"
            value: "https://github.com/org/repo/.github/workflows/release.yml@refs/heads/main"
        """

    /// Entries at known indices among filler: index → the rules that must match.
    static func population() -> (entries: [[UInt8]], expected: [UInt64: Set<String>], unparsable: Set<UInt64>) {
        var entries = TestEntries.filler(40)
        var expected: [UInt64: Set<String>] = [:]
        func add(_ body: [UInt8], _ rules: Set<String>) {
            if !rules.isEmpty { expected[UInt64(entries.count)] = rules }
            entries.append(body)
        }
        add(TestEntries.hashedrekord(pem: alicePEM), ["identities[0]"])
        add(TestEntries.dsse(pem: alicePEM), ["identities[0]"])
        add(TestEntries.intoto(pem: alicePEM), ["identities[0]"])
        add(TestEntries.hashedrekord(pem: evePEM), [])          // anchored: eve's look-alike is not alice
        add(TestEntries.dsse(pem: ciPEM), ["identities[1]", "extensions[0]"])
        add(TestEntries.hashedrekord(pem: barePEM), ["fingerprints[0]"])
        add(TestEntries.intoto(pem: barePEM), ["fingerprints[0]"])
        add(TestEntries.intotoV001(pem: alicePEM), ["identities[0]"])
        add(TestEntries.intotoV001(pem: barePEM), ["fingerprints[0]"])
        add(TestEntries.hashedrekord(pem: P256.Signing.PrivateKey().publicKey.pemRepresentation, digest: digest), ["digests[0]"])
        entries += TestEntries.filler(300)
        let unparsable = UInt64(entries.count)
        entries.append(Array("{\"kind\":\"rekord\",\"apiVersion\":\"0.0.1\",\"spec\":{}}".utf8))
        entries += TestEntries.filler(20)
        return (entries, expected, [unparsable])
    }

    @Test(arguments: LogAPI.allCases)
    func everyKindMatchesTheWatchListAndUnreadableEntriesAreReported(api: LogAPI) async throws {
        let (entries, expected, unparsable) = Self.population()
        let log = LyingLog(signer: MonitorTests.signer)
        log.append(entries)
        let run = try await MonitorTests.poll(log, api: api, state: MonitorTests.directory(), watch: Self.watch)
        var matched: [UInt64: Set<String>] = [:]
        for finding in run.findings where finding.kind == .match {
            matched[finding.logIndex!] = Set(finding.matches!.map(\.rule))
            #expect(finding.entryUUID == "0000000000001092" + RFC6962.leafHash(entries[Int(finding.logIndex!)]).hex)
        }
        #expect(matched == expected)
        #expect(Set(run.findings.filter { $0.kind == .unparsableEntry }.map { $0.logIndex! }) == unparsable)
        #expect(run.findings.map { $0.seq! } == Array(1...UInt64(run.findings.count)), "seqs number the findings in log order")
        #expect(run.summary.verifiedSize == UInt64(entries.count))
    }

    @Test(arguments: LogAPI.allCases)
    func aStartAtFromIndexAuditsFromThereAndStillVerifiesTheWholeRoot(api: LogAPI) async throws {
        let (entries, expected, _) = Self.population()
        let log = LyingLog(signer: MonitorTests.signer)
        log.append(TestEntries.filler(777) + entries)
        let run = try await MonitorTests.poll(log, api: api, state: MonitorTests.directory(), watch: Self.watch, fromIndex: 777 + 43)
        let matched = Set(run.findings.filter { $0.kind == .match }.map { $0.logIndex! })
        #expect(matched == Set(expected.keys.map { $0 + 777 }.filter { $0 >= 777 + 43 }))
        #expect(run.summary.verifiedSize == log.size && run.summary.scanned == log.size - 820)

        // A lie after the start is still caught; one before it is outside the audit but the
        // root it signs must still come out of the tiles the monitor used.
        let lying = LyingLog(signer: MonitorTests.signer)
        lying.append(TestEntries.filler(1500))
        lying.lie { $0.swappedEntries = [1400: TestEntries.filler(1)[0]] }
        let caught = try await MonitorTests.poll(lying, api: api, state: MonitorTests.directory(), fromIndex: 900)
        #expect(caught.findings.map(\.kind) == [.rootMismatch])
    }

    @Test(arguments: LogAPI.allCases)
    func aCatchUpInterruptedAgainAndAgainDeliversEveryFindingOnce(api: LogAPI) async throws {
        // Matches spread over many chunks, interrupted after a few requests each time.
        var entries: [[UInt8]] = []
        var expected: [UInt64] = []
        let filler = TestEntries.filler(1)[0]
        let size = api == .tiles ? 20_000 : 3_000
        for index in 0..<size {
            if index % 97 == 5 { expected.append(UInt64(index)); entries.append(TestEntries.hashedrekord(pem: Self.barePEM)) } else {
                entries.append(filler)
            }
        }
        let log = LyingLog(signer: MonitorTests.signer)
        log.append(entries)
        let state = MonitorTests.directory()
        let output = state + "/findings.jsonl"
        var interruptions = 0
        var stateBefore: Data?
        while true {
            // Enough requests for a chunk and a little of the next (8,192 entries as 32 bundles
            // through tiles, 640 as 64 retrieve calls through v1), so each poll gets somewhere.
            let allowance = api == .tiles ? 40 : 70
            let limit = log.requests + allowance
            log.lie { $0.failAfterRequests = limit }
            do {
                _ = try await MonitorTests.poll(log, api: api, state: state, watch: Self.watch, output: output)
                break
            } catch {
                interruptions += 1
                // Every other time, also lose the last state write, as a crash between the
                // output file's fsync and the state's rename would.
                if interruptions % 2 == 0, let stateBefore {
                    try stateBefore.write(to: URL(fileURLWithPath: MonitorState_path(state)))
                }
                stateBefore = FileManager.default.contents(atPath: MonitorState_path(state))
            }
        }
        log.lie { $0.failAfterRequests = nil }
        #expect(interruptions >= 3, "the catch-up was interrupted \(interruptions) times")
        let lines = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n")
        let findings = try lines.map { try JSONDecoder().decode(Finding.self, from: Data($0.utf8)) }
        #expect(findings.map { $0.logIndex! } == expected, "each match once, in log order")
        #expect(findings.map { $0.seq! } == Array(1...UInt64(expected.count)))
        let final = try await MonitorTests.poll(log, api: api, state: state, watch: Self.watch, output: output)
        #expect(final.findings.isEmpty && final.summary.verifiedSize == UInt64(size))
    }

    func MonitorState_path(_ directory: String) -> String { directory + "/state.json" }
}
