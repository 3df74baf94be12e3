import VellumMerkle
import VellumRekor

extension JSONWriter {
    /// `["<hex>", …]`: proofs as Rekor writes them.
    mutating func hexArray(_ hashes: [Hash]) {
        beginArray()
        for hash in hashes { string(hash.hex) }
        endArray()
    }
}
