import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The directory `--tiles-dir` names, written so that a crash never leaves a torn file under a
/// served name: each file goes to a temporary name in its own directory, is fsynced, and is
/// renamed over its final name; the directories renamed into are fsynced before anything that
/// points at their files (`StaticTilesWriter` fsyncs them all before it writes the checkpoint).
///
/// A crash leaves, besides whole files, at most a few `.<name>.tmp-<pid>-<n>` files (never
/// served: no checkpoint implies them; safe to delete whenever no writer runs). Temporary names
/// are unique per process and file, so several nodes may write into one shared directory.
///
/// Owned by the one thread that publishes (`StaticTilesPublisher`); not for concurrent use.
struct StaticTilesDirectory {
    let root: String
    /// Directories known to exist (made durable in their parent when this created them), so
    /// that each is checked once per process, not once per file.
    private var knownDirectories: Set<String> = []
    private var temporaryCounter = 0

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ operation: String, _ path: String, errno code: Int32 = errno) {
            description = "tiles directory: \(operation) \(path): \(String(cString: strerror(code)))"
        }
        init(_ description: String) { self.description = "tiles directory: \(description)" }
    }

    /// Opens `root`, creating it (and its missing parents) if needed.
    init(root: String) throws {
        self.root = root.hasSuffix("/") && root.count > 1 ? String(root.dropLast()) : root
        try makeDirectory(self.root)
        guard access(self.root, W_OK | X_OK) == 0 else { throw Failure("cannot write into", self.root) }
    }

    func path(_ relative: String) -> String { root + "/" + relative }

    /// True when a file (or anything) is at `relative`.
    func exists(_ relative: String) -> Bool {
        var status = stat()
        return lstat(path(relative), &status) == 0
    }

    /// The bytes at `relative`, or nil when there is no such file.
    func read(_ relative: String) throws -> [UInt8]? {
        let full = path(relative)
        guard exists(relative) else { return nil }
        guard let data = FileManager.default.contents(atPath: full) else { throw Failure("cannot read \(full)") }
        return Array(data)
    }

    /// Writes `bytes` to `relative` atomically: a temporary file in the same directory,
    /// fsynced, then renamed over the name. Returns the directory renamed into, which the
    /// caller must fsync (`syncDirectory`) before publishing anything that points at the file.
    mutating func write(_ bytes: [UInt8], to relative: String) throws -> String {
        let final = path(relative)
        let directory = (final as NSString).deletingLastPathComponent
        try makeDirectory(directory)
        temporaryCounter += 1
        let name = (final as NSString).lastPathComponent
        let temporary = directory + "/.\(name).tmp-\(getpid())-\(temporaryCounter)"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Failure("cannot create", temporary) }
        do {
            defer { close(fd) }
            try Self.writeAll(fd, bytes, path: temporary)
            guard fsync(fd) == 0 else { throw Failure("fsync", temporary) }
        } catch {
            unlink(temporary)
            throw error
        }
        guard rename(temporary, final) == 0 else {
            let failure = Failure("cannot rename into", final)
            unlink(temporary)
            throw failure
        }
        return directory
    }

    /// Makes the renames into `directory` durable.
    func syncDirectory(_ directory: String) throws {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure("cannot open", directory) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw Failure("fsync", directory) }
    }

    /// Removes `relative` and everything under it, if it exists.
    func removeTree(_ relative: String) throws {
        guard exists(relative) else { return }
        do {
            try FileManager.default.removeItem(atPath: path(relative))
        } catch {
            throw Failure("cannot remove \(path(relative)): \(error.localizedDescription)")
        }
    }

    /// Creates `directory` and its missing parents, each made durable in its parent (a file
    /// renamed into a directory whose own entry is lost with a crash would be lost with it).
    private mutating func makeDirectory(_ directory: String) throws {
        if knownDirectories.contains(directory) { return }
        var status = stat()
        if stat(directory, &status) == 0 {
            guard status.st_mode & S_IFMT == S_IFDIR else { throw Failure("not a directory: \(directory)") }
            knownDirectories.insert(directory)
            return
        }
        let parent = (directory as NSString).deletingLastPathComponent
        if !parent.isEmpty && parent != directory { try makeDirectory(parent) }
        // EEXIST: another node sharing the directory made it first.
        guard mkdir(directory, 0o755) == 0 || errno == EEXIST else { throw Failure("cannot create directory", directory) }
        try syncDirectory(parent.isEmpty ? "." : parent)
        knownDirectories.insert(directory)
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws {
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw Failure("write", path) }
            written += count
        }
    }
}
