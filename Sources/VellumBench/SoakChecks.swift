import Foundation
import NIOCore
import VellumMerkle

/// What the soak checks in the server's answers, as a client would: each returns nil when the
/// answer is right, else what is wrong with it.
enum SoakChecks {
    static func object(_ body: ByteBuffer) -> [String: Any]? {
        body.withUnsafeReadableBytes { bytes in
            try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]
        }
    }

    static func hashes(_ value: Any?) -> [Hash]? {
        guard let list = value as? [String] else { return nil }
        let parsed = list.compactMap { Hash(hex: $0) }
        return parsed.count == list.count ? parsed : nil
    }

    /// `GET /api/v1/log`: the tree size and root.
    static func treeHead(_ body: ByteBuffer) -> (size: UInt64, root: Hash)? {
        guard let json = object(body), let size = (json["treeSize"] as? NSNumber)?.uint64Value,
              let root = (json["rootHash"] as? String).flatMap({ Hash(hex: $0) }) else { return nil }
        return (size, root)
    }

    /// `GET /api/v1/log/entries?logIndex=N`: the inclusion proof leads from the entry's body to
    /// the root it names.
    static func inclusionProblem(lookupAnswer body: ByteBuffer) -> String? {
        guard let json = object(body), json.count == 1, let entry = json.values.first as? [String: Any],
              let bodyText = entry["body"] as? String, let entryBytes = Data(base64Encoded: bodyText),
              let index = (entry["logIndex"] as? NSNumber)?.uint64Value,
              let proof = (entry["verification"] as? [String: Any])?["inclusionProof"] as? [String: Any],
              let size = (proof["treeSize"] as? NSNumber)?.uint64Value,
              let root = (proof["rootHash"] as? String).flatMap({ Hash(hex: $0) }),
              let path = hashes(proof["hashes"]) else {
            return "a lookup answer without the fields of a LogEntry"
        }
        do {
            try InclusionProof.verify(leafIndex: index, treeSize: size, leafHash: RFC6962.leafHash(Array(entryBytes)),
                                      proof: path, root: root)
            return nil
        } catch {
            return "entry \(index) in a tree of \(size): \(error)"
        }
    }

    /// `GET /api/v1/log/proof`: `old` is a prefix of `new`.
    static func consistencyProblem(_ body: ByteBuffer, old: (size: UInt64, root: Hash), new: (size: UInt64, root: Hash)) -> String? {
        guard let json = object(body), let proof = hashes(json["hashes"]) else { return "a proof answer without hashes" }
        do {
            try ConsistencyProof.verify(oldSize: old.size, newSize: new.size, oldRoot: old.root, newRoot: new.root, proof: proof)
            return nil
        } catch {
            return "\(old.size) → \(new.size): \(error)"
        }
    }

    /// `GET /checkpoint`: a signed note whose second line is the tree size; returns the size.
    static func checkpointSize(_ body: ByteBuffer) -> UInt64? {
        let text = String(buffer: body)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count >= 5, text.contains("\n\n— ") else { return nil }
        return UInt64(lines[1])
    }

    /// The value of a metric without labels in Prometheus text.
    static func metric(_ name: String, in body: ByteBuffer) -> Int? {
        for line in String(buffer: body).split(separator: "\n") where line.hasPrefix(name + " ") {
            return Double(line.dropFirst(name.count + 1)).map { Int($0) }
        }
        return nil
    }
}
