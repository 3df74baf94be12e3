import Foundation

/// Where findings go: stdout, an output file (appended, fsynced before the state moves past
/// them) and a webhook (POSTed, retried with backoff; the state does not move past a finding
/// the webhook has not taken).
///
/// Exactly once, across crashes, for the output file: entry findings carry a `seq` that a
/// rescan of the same range reproduces, and the sink skips every seq up to the last one the
/// file already holds. stdout sees the same skip. A webhook may see a finding twice if the
/// monitor dies between its 2xx and the state write; the `seq` (or the evidence) lets the
/// receiver drop the repeat.
public final class FindingSink: @unchecked Sendable {
    private let output: Int32?
    private let outputPath: String?
    private let webhook: (any LogTransport)?
    private let webhookPath: String
    private let printLine: @Sendable (String) -> Void
    private let maxAttempts: Int
    /// The highest entry-finding seq already delivered, read from the output file.
    private(set) var deliveredSeq: UInt64?
    /// Findings delivered by this process.
    public private(set) var delivered = 0

    /// - Parameters:
    ///   - outputPath: file to append JSON lines to, created if missing.
    ///   - webhook: transport and path to POST each finding to.
    ///   - maxAttempts: webhook attempts per finding before the poll fails (nil: retry forever).
    public init(outputPath: String?, webhook: (transport: any LogTransport, path: String)?, maxAttempts: Int?,
                printLine: @escaping @Sendable (String) -> Void) throws(ClientError) {
        self.outputPath = outputPath
        self.webhook = webhook?.transport
        self.webhookPath = webhook?.path ?? "/"
        self.printLine = printLine
        self.maxAttempts = maxAttempts ?? Int.max
        if let outputPath {
            deliveredSeq = Self.lastSeq(in: outputPath)
            let fd = open(outputPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
            guard fd >= 0 else { throw .configuration("cannot open \(outputPath): \(String(cString: strerror(errno)))") }
            output = fd
            // A line torn by a crash is closed, so the next finding starts a line of its own.
            if let data = FileManager.default.contents(atPath: outputPath), let last = data.last, last != UInt8(ascii: "\n") {
                try? DurableFile.write(fd, [UInt8(ascii: "\n")], path: outputPath)
            }
        } else {
            output = nil
        }
    }

    deinit { if let output { close(output) } }

    /// Delivers findings in order; throws when one could not be delivered, and then the caller
    /// must not advance its state.
    public func deliver(_ findings: [Finding]) async throws(ClientError) {
        var lines: [UInt8] = []
        var fresh: [Finding] = []
        for finding in findings {
            if let seq = finding.seq, let deliveredSeq, seq <= deliveredSeq { continue }
            fresh.append(finding)
        }
        guard !fresh.isEmpty else { return }
        for finding in fresh {
            try await post(finding)
            printLine(finding.jsonLine)
            lines += Array((finding.jsonLine + "\n").utf8)
        }
        if let output, let outputPath {
            do {
                try DurableFile.write(output, lines, path: outputPath)
                guard fsync(output) == 0 else { throw DurableFile.Failure(description: "fsync: \(String(cString: strerror(errno)))") }
            } catch {
                throw .configuration("cannot write findings to \(outputPath): \(error)")
            }
        }
        if let seq = fresh.compactMap(\.seq).max() { deliveredSeq = max(deliveredSeq ?? 0, seq) }
        delivered += fresh.count
    }

    private func post(_ finding: Finding) async throws(ClientError) {
        guard let webhook else { return }
        var delay: UInt64 = 250_000_000
        var attempt = 0
        while true {
            attempt += 1
            let failure: String
            do {
                let reply = try await webhook.post(webhookPath, json: Array(finding.jsonLine.utf8))
                if (200..<300).contains(reply.status) { return }
                failure = "status \(reply.status)"
            } catch {
                failure = "\(error)"
            }
            guard attempt < maxAttempts else {
                throw .unreachable(webhook.base + webhookPath, reason: "the webhook did not take a finding after \(attempt) attempts (\(failure))")
            }
            try? await Task.sleep(nanoseconds: delay)
            delay = min(delay * 2, 60_000_000_000)
        }
    }

    /// The largest `seq` in the output file's JSON lines (a torn last line is ignored).
    static func lastSeq(in path: String) -> UInt64? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        var last: UInt64?
        for line in data.split(separator: UInt8(ascii: "\n")) {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                  let seq = (object["seq"] as? NSNumber)?.uint64Value else { continue }
            last = max(last ?? 0, seq)
        }
        return last
    }
}
