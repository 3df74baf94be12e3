import Crypto
import Foundation
import NIOCore
import NIOPosix
import VellumMerkle

extension Soak {
    /// `soak-verify HOST:PORT ACKS RESULT SHUTDOWN_STATUS`, against the server restarted on the
    /// soaked data directory: every acknowledged upload is at its index (its entry bundle, read
    /// through the tlog-tiles API, holds a body with that upload's artifact digest), no index was
    /// acknowledged twice, and the tree covers them all. Then the verdict on the whole soak; the
    /// last line is one JSON object. Exits 1 when anything failed.
    static func verify(_ arguments: [String]) async throws {
        guard arguments.count == 4, let shutdownStatus = Int(arguments[3]) else { throw SoakError.usage }
        let (host, port) = try address(arguments[0])
        var result = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: arguments[2]))) as! [String: Any]
        var failures: [String] = []

        let acks = try Data(contentsOf: URL(fileURLWithPath: arguments[1]))
        let checked = try await checkAcknowledged(acks, host: host, port: port)
        result["verified_uploads"] = checked.verified
        failures += checked.failures

        if shutdownStatus != 0 {
            failures.append("the server did not shut down cleanly after the load (exit status \(shutdownStatus); 139 is SIGSEGV)")
            result["crashes"] = 1
        }
        if (result["crashes"] as? Int ?? 0) > 0, shutdownStatus == 0 { failures.append("the server exited during the load") }
        let problems = result["problems"] as? [String: Int] ?? [:]
        for (problem, count) in problems.sorted(by: { $0.key < $1.key }) { failures.append("\(count) × \(problem)") }
        if (result["uploads"] as? Int ?? 0) == 0 { failures.append("no upload was acknowledged") }

        let samples = (result["samples"] as? [[Double]] ?? []).map {
            SoakSample(seconds: $0[0], rssMiB: 0, rssAnonMiB: $0[1], openFiles: 0, threads: 0, treeSize: UInt64($0[2]),
                       batches: 0, uploads: 0, errors: 0)
        }
        let memory = MemoryVerdict(samples: samples, runSeconds: samples.last?.seconds ?? 0)
        result["rss_anon_growth_after_warmup_mb"] = memory.judged ? (memory.growthMiB * 10).rounded() / 10 : nil
        // A sanitized server's memory is the sanitizer's (shadow memory, quarantine): not judged.
        if ProcessInfo.processInfo.environment["VELLUM_SOAK_MEMORY_CHECK"] != "0", let failure = memory.failure {
            failures.append(failure)
        }
        result["samples"] = nil
        result["problems"] = nil
        if failures.isEmpty { result["examples"] = nil }
        result["passed"] = failures.isEmpty
        for failure in failures { print("FAILED: \(failure)") }
        for example in result["examples"] as? [String] ?? [] { print("  e.g. \(example)") }
        result["examples"] = nil
        print(String(decoding: try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys]), as: UTF8.self))
        if !failures.isEmpty { exit(1) }
    }

    /// Checks every acknowledged upload against the entry bundles the server serves.
    static func checkAcknowledged(_ data: Data, host: String, port: Int) async throws -> (verified: Int, failures: [String]) {
        guard data.count >= 8, (data.count - 8) % 16 == 0 else { return (0, ["the acknowledgements file is torn"]) }
        let words: [UInt64] = data.withUnsafeBytes { raw in
            (0..<(data.count / 8)).map { UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self)) }
        }
        let nonce = words[0]
        var acks = stride(from: 1, to: words.count, by: 2).map { (n: Int(words[$0]), index: words[$0 + 1]) }
        acks.sort { $0.index < $1.index }

        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        do {
            let result = try await checkAcknowledged(acks, nonce: nonce, loop: group.next(), host: host, port: port)
            try await group.shutdownGracefully()
            return result
        } catch {
            try await group.shutdownGracefully()
            throw error
        }
    }

    private static func checkAcknowledged(_ acks: [(n: Int, index: UInt64)], nonce: UInt64, loop: EventLoop,
                                          host: String, port: Int) async throws -> (verified: Int, failures: [String]) {
        var failures: [String] = []
        let connection = try await SoakConnection.connect(host: host, port: port, on: loop).get()
        func get(_ path: String) async throws -> ByteBuffer {
            let promise = loop.makePromise(of: SoakHTTPOutcome.self)
            loop.execute { connection.send(SoakHTTPRequest(method: .GET, path: path), timeoutSeconds: 60) { promise.succeed($0) } }
            switch try await promise.futureResult.get() {
            case .answered(200, let body): return body
            case .answered(let status, let body): throw SoakError.verification("GET \(path) answered \(status): \(String(buffer: body).prefix(200))")
            case .unanswered(let reason): throw SoakError.verification("GET \(path): \(reason)")
            }
        }
        guard let head = SoakChecks.treeHead(try await get("/api/v1/log")) else {
            return (0, ["the restarted server's tree head does not parse"])
        }
        print("restarted server: tree size \(head.size); checking \(acks.count) acknowledged uploads by index")
        if let last = acks.last, last.index >= head.size {
            failures.append("upload \(last.n) was acknowledged at index \(last.index), beyond the restarted tree of \(head.size)")
        }
        var verified = 0
        var position = 0
        let width = UInt64(TilePath.fullWidth)
        while position < acks.count, acks[position].index < head.size, failures.count < 20 {
            let bundleIndex = acks[position].index / width
            let entries = min(width, head.size - bundleIndex * width)
            let bytes = try await get("/" + TilePath(entryBundle: bundleIndex, width: Int(entries)).description)
            let bundle = try EntryBundle(parsing: bytes.readableBytesView)
            while position < acks.count, acks[position].index / width == bundleIndex {
                let ack = acks[position]
                position += 1
                if position < acks.count, acks[position].index == ack.index {
                    failures.append("index \(ack.index) was acknowledged to uploads \(ack.n) and \(acks[position].n)")
                }
                let want = Array(SoakRequests.digest(nonce: nonce, n: ack.n).hex.utf8)
                let entry = bundle.entries[Int(ack.index % width)]
                if entry.firstRange(of: want) == nil {
                    failures.append("index \(ack.index), acknowledged to upload \(ack.n), holds another entry")
                } else {
                    verified += 1
                }
            }
        }
        loop.execute { connection.close() }
        print("verified \(verified) of \(acks.count) acknowledged uploads at their indices")
        return (verified, failures)
    }
}
