/// A semantic version (semver.org 2.0.0) as the `apiVersion` of a ProposedEntry.
///
/// Rekor's OpenAPI schema requires `apiVersion` to match ``pattern`` (else 422), and its type
/// registry then looks the version up with blang/semver ranges, which ignore build metadata:
/// `0.0.1+anything` selects the 0.0.1 implementation, which logs `"0.0.1"`.
struct SemanticVersion: Equatable {
    let major: String
    let minor: String
    let patch: String
    let prerelease: String?
    let build: String?

    /// The pattern of Rekor's `openapi.yaml` for `apiVersion`.
    static let pattern = #"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"#

    /// Parses `text`; `nil` unless it matches ``pattern``.
    init?(_ text: String) {
        var rest = Substring(text)
        var build: String?
        if let plus = rest.firstIndex(of: "+") {
            let metadata = rest[rest.index(after: plus)...]
            guard Self.identifiers(metadata, numericMustBeCanonical: false) else { return nil }
            build = String(metadata)
            rest = rest[..<plus]
        }
        var prerelease: String?
        if let dash = rest.firstIndex(of: "-") {
            let tail = rest[rest.index(after: dash)...]
            guard Self.identifiers(tail, numericMustBeCanonical: true) else { return nil }
            prerelease = String(tail)
            rest = rest[..<dash]
        }
        let core = rest.split(separator: ".", omittingEmptySubsequences: false)
        guard core.count == 3, core.allSatisfy(Self.isNumber) else { return nil }
        self.major = String(core[0])
        self.minor = String(core[1])
        self.patch = String(core[2])
        self.prerelease = prerelease
        self.build = build
    }

    /// The version without build metadata, which is what selects an implementation.
    var precedenceKey: String {
        "\(major).\(minor).\(patch)" + (prerelease.map { "-" + $0 } ?? "")
    }

    /// `0 | [1-9][0-9]*`
    private static func isNumber(_ part: Substring) -> Bool {
        guard !part.isEmpty, part.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return false }
        return part == "0" || part.first != "0"
    }

    /// Dot-separated non-empty `[0-9A-Za-z-]+` identifiers; in a prerelease, purely numeric
    /// identifiers may not have leading zeros.
    private static func identifiers(_ text: Substring, numericMustBeCanonical: Bool) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.allSatisfy { part in
            guard !part.isEmpty, part.utf8.allSatisfy({
                ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2D
            }) else { return false }
            let numeric = part.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
            return !numeric || !numericMustBeCanonical || isNumber(part)
        }
    }
}
