import Foundation
import VellumSync

/// A real PostgreSQL server for tests (no mocks): the one at `VELLUM_TEST_POSTGRES` (a
/// `postgres://` URL whose role may create databases; scripts/test starts one and sets it),
/// else one this process starts with `scripts/postgres start` in a temporary directory and
/// stops when it exits. Each test takes a database of its own from `freshDatabase()`.
public enum TestPostgres {
    public struct Unavailable: Error, CustomStringConvertible {
        public let description: String
    }

    private static let server = Locked<Result<String, Unavailable>?>(nil)
    private static let counter = Locked<Int>(0)
    private static let startedDirectory = Locked<String?>(nil)

    /// The package root (scripts/postgres lives there).
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// The server's URL (its `vellum` database), starting the server on first use.
    public static func url() throws -> String {
        let result = server.withLock { cached -> Result<String, Unavailable> in
            if let cached { return cached }
            let started = start()
            cached = started
            return started
        }
        return try result.get()
    }

    private static func start() -> Result<String, Unavailable> {
        if let given = ProcessInfo.processInfo.environment["VELLUM_TEST_POSTGRES"], !given.isEmpty { return .success(given) }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vellum-test-pg-\(getpid())").path
        do {
            let output = try run(packageRoot.appendingPathComponent("scripts/postgres").path, ["start", directory])
            guard let url = output.split(separator: "\n").last.map(String.init), url.hasPrefix("postgres://") else {
                return .failure(Unavailable(description: "scripts/postgres printed no URL: \(output)"))
            }
            startedDirectory.withLock { $0 = directory }
            atexit {
                guard let directory = TestPostgres.startedDirectory.withLock({ $0 }) else { return }
                _ = try? TestPostgres.run(TestPostgres.packageRoot.appendingPathComponent("scripts/postgres").path, ["stop", directory])
                try? FileManager.default.removeItem(atPath: directory)
            }
            return .success(url)
        } catch {
            return .failure(Unavailable(description: "cannot start PostgreSQL for the tests (\(error)); install it with "
                                        + "scripts/install-deps or set VELLUM_TEST_POSTGRES to a server's URL"))
        }
    }

    /// A new, empty database on the test server; returns its URL.
    public static func freshDatabase(_ label: String = "t") throws -> String {
        let base = try url()
        let number = counter.withLock { $0 += 1; return $0 }
        let name = "\(label.lowercased().filter { $0.isLetter || $0.isNumber })_\(getpid())_\(number)"
        _ = try run("/usr/bin/env", ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", base, "-c", "CREATE DATABASE \(name)"])
        guard let slash = base.lastIndex(of: "/") else { throw Unavailable(description: "malformed server URL \(base)") }
        return base[..<slash] + "/" + name
    }

    /// Runs a statement on `database` with psql (for tests that reach around the store).
    public static func psql(_ database: String, _ statement: String) throws -> String {
        try run("/usr/bin/env", ["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", database, "-c", statement])
    }

    /// Runs a program and returns its standard output. posix_spawn and waitpid rather than
    /// Foundation's Process, whose waitUntilExit never returned here for a script that had
    /// exited (its zombie unreaped) when called from a test. Output goes through files, so a
    /// server the program leaves running cannot hold a pipe open.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("vellum-run-\(getpid())-\(UInt64.random(in: 0...UInt64.max))").path
        let (outPath, errPath) = (base + ".out", base + ".err")
        defer { unlink(outPath); unlink(errPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else {
            throw Unavailable(description: "cannot run \(executable): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let output = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        guard status == 0 else {
            let errors = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
            throw Unavailable(description: "\(([executable] + arguments).joined(separator: " ")) failed (status \(status)): \(errors)")
        }
        return output.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
