import VellumMerkle
import VellumRekor

extension JSONWriter {
    /// `"<hex>"`: a hash as Rekor writes it.
    mutating func hex(_ hash: Hash) {
        hash.withUnsafeBytes { hexString($0) }
    }

    /// `["<hex>", …]`: proofs as Rekor writes them.
    mutating func hexArray(_ hashes: [Hash]) {
        beginArray()
        for hash in hashes { hex(hash) }
        endArray()
    }
}
