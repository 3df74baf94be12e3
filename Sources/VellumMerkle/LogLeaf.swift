/// An entry's bytes with their RFC 6962 leaf hash, computed once, when it is made.
///
/// Whoever logs an entry usually needs its leaf hash first (as the identity it is deduplicated
/// by, or for its Rekor UUID); handing both on saves the log hashing the bytes a second time
/// (a 1 KiB entry is 17 SHA-256 blocks, ~5% of an append's CPU). The hash cannot disagree with
/// the bytes: the only way to make one is from the bytes.
public struct LogLeaf: Sendable, Hashable {
    public let bytes: [UInt8]
    /// `SHA-256(0x00 || bytes)`.
    public let hash: Hash

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        hash = RFC6962.leafHash(bytes)
    }
}
