import Crypto
import Foundation
import VellumNote

/// The log's two private keys, kept as PKCS#8 PEM files (mode 0600) in the data directory:
/// an ECDSA P-256 key that signs SETs and Rekor v1 checkpoints (its SPKI hash is the logID),
/// and an Ed25519 key that signs the tlog-tiles checkpoint (C2SP signed note).
public struct LogKeys: Sendable {
    public static let logKeyFile = "log-key.pem"
    public static let noteKeyFile = "note-key.pem"

    public let logKey: P256.Signing.PrivateKey
    public let noteKey: Curve25519.Signing.PrivateKey

    /// Loads both keys from `directory`, creating whichever is missing. Returns the paths of
    /// the files it created, so the caller can say where they are.
    public static func loadOrCreate(in directory: String) throws -> (keys: LogKeys, created: [String]) {
        var created: [String] = []
        let logPath = path(directory, logKeyFile)
        let notePath = path(directory, noteKeyFile)
        if !FileManager.default.fileExists(atPath: logPath) {
            try write(NotePrivateKey.generateP256().pkcs8PEM, to: logPath)
            created.append(logPath)
        }
        if !FileManager.default.fileExists(atPath: notePath) {
            try write(NotePrivateKey.generateEd25519().pkcs8PEM, to: notePath)
            created.append(notePath)
        }
        return (try load(from: directory), created)
    }

    /// Creates both keys in `directory`; refuses to replace existing files.
    public static func create(in directory: String) throws -> [String] {
        let paths = [path(directory, logKeyFile), path(directory, noteKeyFile)]
        for path in paths where FileManager.default.fileExists(atPath: path) {
            throw ServerError.keyFile(path: path, reason: "already exists; move it away first if you really want a new key")
        }
        try write(NotePrivateKey.generateP256().pkcs8PEM, to: paths[0])
        try write(NotePrivateKey.generateEd25519().pkcs8PEM, to: paths[1])
        return paths
    }

    /// Loads both keys; each file must hold the right kind of key.
    public static func load(from directory: String) throws -> LogKeys {
        let logPath = path(directory, logKeyFile)
        let notePath = path(directory, noteKeyFile)
        guard case .p256(let logKey) = try read(logPath) else {
            throw ServerError.keyFile(path: logPath, reason: "holds an Ed25519 key; the log key must be ECDSA P-256")
        }
        guard case .ed25519(let noteKey) = try read(notePath) else {
            throw ServerError.keyFile(path: notePath, reason: "holds a P-256 key; the note key must be Ed25519")
        }
        return LogKeys(logKey: logKey, noteKey: noteKey)
    }

    private static func path(_ directory: String, _ file: String) -> String {
        (directory as NSString).appendingPathComponent(file)
    }

    private static func read(_ path: String) throws -> NotePrivateKey {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ServerError.keyFile(path: path, reason: "cannot be read (run `vellum keygen` to create the keys)")
        }
        do {
            return try NotePrivateKey(pem: String(decoding: data, as: UTF8.self))
        } catch {
            throw ServerError.keyFile(path: path, reason: "is not a usable private key: \(error)")
        }
    }

    /// Writes a new key file with mode 0600 and fsyncs it and its directory, so a key that a
    /// checkpoint was signed with cannot vanish in a crash. O_EXCL: never overwrites.
    private static func write(_ pem: String, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else {
            throw ServerError.keyFile(path: path, reason: "cannot be created: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        let bytes = Array(pem.utf8)
        let written = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(fd) == 0 else {
            throw ServerError.keyFile(path: path, reason: "cannot be written: \(String(cString: strerror(errno)))")
        }
        let directory = open((path as NSString).deletingLastPathComponent, O_RDONLY)
        if directory >= 0 {
            _ = fsync(directory)
            close(directory)
        }
    }
}
