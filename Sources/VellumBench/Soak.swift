import Foundation
import NIOCore
import NIOPosix

/// The two halves of `scripts/soak`: `soak-load` drives a running server (`SoakDriver`) and
/// writes what it was acknowledged to a file; after the script has stopped and restarted the
/// server, `soak-verify` checks every acknowledged upload by index and gives the verdict.
enum Soak {
    /// `soak-load HOST:PORT PID MINUTES ACKS_FILE RESULT_FILE`: prints a sample line every few
    /// seconds, writes the acknowledgements (8-byte nonce, then little-endian `n`, `index`
    /// pairs) and the load's figures (JSON).
    static func load(_ arguments: [String]) async throws {
        guard arguments.count == 5, let pid = Int32(arguments[1]), let minutes = Double(arguments[2]) else {
            throw SoakError.usage
        }
        let (host, port) = try address(arguments[0])
        var settings = SoakDriver.Settings(pid: pid)
        settings.host = host
        settings.port = port
        settings.minutes = minutes
        let environment = ProcessInfo.processInfo.environment
        if let seconds = environment["VELLUM_SOAK_PEAK_SECONDS"].flatMap(Double.init) { settings.peakSeconds = seconds }
        if let fraction = environment["VELLUM_SOAK_STEADY_FRACTION"].flatMap(Double.init) { settings.steadyFraction = fraction }
        print("machine: \(machineDescription())")
        let requests = SoakRequests()
        print(String(format: "load generator: %.1f µs of CPU per signed upload body", requests.microsecondsPerBody()))
        requests.start()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let driver = try await SoakDriver(settings: settings, requests: requests, loop: group.next()).run().get()
        try await group.shutdownGracefully()

        var acks = Data(capacity: 8 + 16 * driver.acks.count)
        withUnsafeBytes(of: requests.nonce.littleEndian) { acks.append(contentsOf: $0) }
        for ack in driver.acks {
            withUnsafeBytes(of: UInt64(ack.n).littleEndian) { acks.append(contentsOf: $0) }
            withUnsafeBytes(of: ack.index.littleEndian) { acks.append(contentsOf: $0) }
        }
        try acks.write(to: URL(fileURLWithPath: arguments[3]))

        let samples = driver.samples.filter { $0.rssAnonMiB > 0 }
        let anon = samples.map(\.rssAnonMiB)
        let result: [String: Any] = [
            "minutes": minutes,
            "peak_uploads_per_s": driver.peakPerSecond.rounded(),
            "mixed_uploads_per_s": driver.mixedSeconds > 0 ? (Double(driver.mixedUploads) / driver.mixedSeconds).rounded() : 0,
            "uploads": driver.acks.count,
            "batches": driver.batches,
            "lookups": driver.counts["lookups answered", default: 0],
            "reads": ["checkpoints", "tree heads", "tile reads", "searches", "consistency proofs"]
                .map { driver.counts[$0, default: 0] }.reduce(0, +),
            "duplicates": driver.counts["duplicates", default: 0],
            "bad_requests": driver.counts["bad requests refused", default: 0],
            "errors": driver.errors,
            "problems": driver.problems,
            "examples": driver.examples,
            "crashes": driver.crashed ? 1 : 0,
            "p99_ms": (driver.uploadLatency.percentile(99) * 10).rounded() / 10,
            "p50_ms": (driver.uploadLatency.percentile(50) * 10).rounded() / 10,
            "rss_anon_mb_start": anon.first.map { ($0 * 10).rounded() / 10 } ?? 0,
            "rss_anon_mb_end": anon.last.map { ($0 * 10).rounded() / 10 } ?? 0,
            "rss_anon_mb_max": anon.max().map { ($0 * 10).rounded() / 10 } ?? 0,
            "rss_mb_max": samples.map(\.rssMiB).max().map { ($0 * 10).rounded() / 10 } ?? 0,
            "fds_max": samples.map(\.openFiles).max() ?? 0,
            "threads_max": samples.map(\.threads).max() ?? 0,
            "samples": samples.map { [($0.seconds * 10).rounded() / 10, ($0.rssAnonMiB * 10).rounded() / 10, Double($0.treeSize)] },
        ]
        try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys]).write(to: URL(fileURLWithPath: arguments[4]))
        print("load done: \(driver.acks.count) uploads acknowledged, \(driver.errors) errors")
    }

    static func address(_ text: String) throws -> (host: String, port: Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]) else {
            throw SoakError.usage
        }
        return (String(text[..<colon]), port)
    }
}

enum SoakError: Error, CustomStringConvertible {
    case usage
    case verification(String)

    var description: String {
        switch self {
        case .usage:
            return "usage: VellumBench soak-load HOST:PORT PID MINUTES ACKS RESULT | soak-verify HOST:PORT ACKS RESULT SHUTDOWN_STATUS"
        case .verification(let what):
            return what
        }
    }
}
