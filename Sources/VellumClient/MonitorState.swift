import Foundation
import VellumMerkle

/// What a monitor keeps between runs, in `<state dir>/state.json`, replaced atomically (a new
/// file fsynced, renamed over the old one, the directory fsynced): a crash leaves the old state
/// or the new one. A restart resumes the scan at `cursor`; nothing before it is scanned again,
/// nothing after it was delivered except what the output file shows (see ``FindingSink``).
struct MonitorState: Codable, Equatable {
    /// Where a scan stands: the next index to read, the compact range of every leaf before it
    /// (hex roots; nil until fetched for a start at `--from-index`), the next finding's seq.
    struct Cursor: Codable, Equatable {
        var position: UInt64
        var roots: [String]?
        var nextSeq: UInt64

        func range() throws(ClientError) -> CompactRange? {
            guard let roots else { return nil }
            let hashes = roots.compactMap { Hash(hex: $0) }
            guard hashes.count == roots.count, let range = try? CompactRange(size: position, roots: hashes) else {
                throw .state(path: "state.json", reason: "the compact range at \(position) is damaged")
            }
            return range
        }

        init(position: UInt64, range: CompactRange?, nextSeq: UInt64) {
            self.position = position
            self.roots = range.map { $0.roots.map(\.hex) }
            self.nextSeq = nextSeq
        }
    }

    static let version = 1
    var version = MonitorState.version
    var log: String
    /// The last checkpoint whose whole tree this monitor verified (note text), if any.
    var verified: String?
    /// The cursor at `verified` (or where the audit started): a scan that ends in a root
    /// mismatch goes back here.
    var base: Cursor
    /// The checkpoint the current scan is heading for, if a scan is under way.
    var target: String?
    var cursor: Cursor

    static func path(in directory: String) -> String { directory + "/state.json" }

    /// The stored state, or nil when the directory has none yet.
    static func load(directory: String) throws(ClientError) -> MonitorState? {
        let path = path(in: directory)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do {
            let state = try JSONDecoder().decode(MonitorState.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
            guard state.version == version else {
                throw ClientError.state(path: path, reason: "version \(state.version); this vellum reads \(version)")
            }
            return state
        } catch let error as ClientError {
            throw error
        } catch {
            throw .state(path: path, reason: "\(error)")
        }
    }

    func save(directory: String) throws(ClientError) {
        let path = Self.path(in: directory)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        do {
            try DurableFile.replace(path: path, with: Array(try encoder.encode(self)))
        } catch {
            throw .state(path: path, reason: "cannot write it: \(error)")
        }
    }
}

/// Crash-safe file writes.
enum DurableFile {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Writes `bytes` to a temporary file, fsyncs it, renames it over `path`, fsyncs the directory.
    static func replace(path: String, with bytes: [UInt8]) throws {
        let temporary = path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { throw Failure(description: "open \(temporary): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        try write(fd, bytes, path: temporary)
        guard fsync(fd) == 0 else { throw Failure(description: "fsync \(temporary): \(String(cString: strerror(errno)))") }
        guard rename(temporary, path) == 0 else { throw Failure(description: "rename to \(path): \(String(cString: strerror(errno)))") }
        try syncDirectory(of: path)
    }

    static func write(_ fd: Int32, _ bytes: [UInt8], path: String) throws {
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
            guard count > 0 else { throw Failure(description: "write \(path): \(String(cString: strerror(errno)))") }
            written += count
        }
    }

    static func syncDirectory(of path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        let fd = open(directory.isEmpty ? "." : directory, O_RDONLY)
        guard fd >= 0 else { throw Failure(description: "open \(directory): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw Failure(description: "fsync \(directory): \(String(cString: strerror(errno)))") }
    }
}
