import Foundation
import VellumClient
import VellumSync

/// Catch-up progress on stderr: a bar redrawn in place on a terminal, a plain line every ten
/// seconds otherwise (logs, CI), so neither floods the other's output. stdout is for findings.
enum ProgressReport {
    private static let isTerminal = isatty(STDERR_FILENO) == 1
    private static let state = Locked<(started: Date?, lastLine: Date, drawn: Bool)>((nil, .distantPast, false))

    static func handler() -> @Sendable (Monitor.Progress) -> Void {
        { progress in
            let now = Date()
            let line: String? = state.withLock { state in
                let started = state.started ?? now
                state.started = started
                let elapsed = max(now.timeIntervalSince(started), 0.001)
                let rate = Double(progress.done) / elapsed
                let eta = rate > 0 ? Double(progress.total - progress.done) / rate : 0
                let fraction = progress.total == 0 ? 1 : Double(progress.done) / Double(progress.total)
                let text = "\(progress.done)/\(progress.total) entries (\(Int(fraction * 100))%), \(Int(rate))/s, ETA \(Int(eta))s, at index \(progress.position) of \(progress.treeSize)"
                if isTerminal {
                    state.drawn = true
                    let filled = Int(fraction * 30)
                    return "\r[" + String(repeating: "#", count: filled) + String(repeating: " ", count: 30 - filled) + "] " + text + "\u{1B}[K"
                }
                guard now.timeIntervalSince(state.lastLine) >= 10 || progress.done == progress.total else { return nil }
                state.lastLine = now
                return "vellum monitor: " + text + "\n"
            }
            if let line { FileHandle.standardError.write(Data(line.utf8)) }
        }
    }

    /// Ends a bar drawn on a terminal and resets the rate for the next catch-up.
    static func finish() {
        let drawn = state.withLock { state in
            defer { state = (nil, .distantPast, false) }
            return state.drawn
        }
        if drawn { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    static func note(_ text: String) {
        FileHandle.standardError.write(Data("vellum monitor: \(text)\n".utf8))
    }
}
