import Foundation

/// Locates the shared conformance vectors (`../shared/vectors` beside the clone, or
/// `$VELLUM_VECTORS`). They are read in place and never copied into the repository.
public enum Vectors {
    /// The vectors folder, or `nil` when it is absent (tests then report themselves skipped).
    public static let directory: URL? = {
        let fileManager = FileManager.default
        var candidates: [URL] = []
        if let explicit = ProcessInfo.processInfo.environment["VELLUM_VECTORS"], !explicit.isEmpty {
            candidates.append(URL(fileURLWithPath: explicit))
        }
        // This file lives at <repo>/Sources/VellumTesting/Vectors.swift; the vectors sit at
        // <repo>/../shared/vectors. The working directory is tried too, for `swift test` runs
        // started elsewhere.
        let repository = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(repository.deletingLastPathComponent().appendingPathComponent("shared/vectors"))
        candidates.append(URL(fileURLWithPath: fileManager.currentDirectoryPath)
            .deletingLastPathComponent().appendingPathComponent("shared/vectors"))
        return candidates.first { fileManager.fileExists(atPath: $0.appendingPathComponent("README.md").path) }
    }()

    /// True when the vectors folder was found; use as `@Test(.enabled(if: Vectors.available))`
    /// so a missing folder shows as skipped, never as a silent pass.
    public static var available: Bool { directory != nil }

    /// Reads `relativePath` (e.g. `"normalized/inclusion.json"`) from the vectors folder.
    public static func data(_ relativePath: String) throws -> Data {
        guard let directory else { throw VectorsMissing() }
        return try Data(contentsOf: directory.appendingPathComponent(relativePath))
    }

    /// Decodes a JSON vectors file. Byte strings in the files are standard base64, which
    /// `JSONDecoder` maps to `Data`; sizes and indices decode as `UInt64`.
    public static func load<T: Decodable>(_ type: T.Type, from relativePath: String) throws -> T {
        try JSONDecoder().decode(type, from: data(relativePath))
    }
}

/// Thrown when a test asks for vectors that are not there.
public struct VectorsMissing: Error, CustomStringConvertible {
    public var description: String {
        "conformance vectors not found: put ../shared beside the clone or set VELLUM_VECTORS"
    }
}
