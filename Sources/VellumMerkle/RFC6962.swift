import CVellumSHA256

/// RFC 6962 §2.1 (RFC 9162 §2.1.1) hashing with SHA-256.
///
/// - leaf hash: `SHA-256(0x00 || entry)`
/// - node hash: `SHA-256(0x01 || left || right)`
/// - root of the empty tree: `SHA-256("")`
public enum RFC6962 {
    /// The root of the empty tree, `SHA-256("")` (not the hash of an empty leaf).
    public static let emptyRoot: Hash = sha256(of: [])

    /// The leaf hash of an entry: `SHA-256(0x00 || entry)`.
    @inlinable
    public static func leafHash(_ entry: some ContiguousBytesView) -> Hash {
        entry.withBytes { buffer in
            Hash { out in vellum_sha256_prefixed(0, buffer.baseAddress, buffer.count, out) }
        }
    }

    /// The hash of an interior node: `SHA-256(0x01 || left || right)`.
    @inlinable
    public static func nodeHash(left: Hash, right: Hash) -> Hash {
        left.withUnsafeBytes { l in
            right.withUnsafeBytes { r in
                Hash { out in
                    vellum_sha256_node(l.baseAddress!.assumingMemoryBound(to: UInt8.self),
                                       r.baseAddress!.assumingMemoryBound(to: UInt8.self), out)
                }
            }
        }
    }

    /// Plain SHA-256 of `bytes`.
    public static func sha256(of bytes: some ContiguousBytesView) -> Hash {
        bytes.withBytes { buffer in
            Hash { out in vellum_sha256(buffer.baseAddress, buffer.count, out) }
        }
    }

    /// The root of a perfect subtree whose leaves (or lower nodes) are `hashes`; the count must
    /// be a power of two. Used to rebuild the inner levels of a tile, which are never stored.
    public static func perfectRoot(_ hashes: ArraySlice<Hash>) -> Hash {
        let count = hashes.count
        precondition(count > 0 && count & (count - 1) == 0,
                     "perfectRoot needs a power-of-two count, got \(count)")
        let start = hashes.startIndex
        if count == 1 { return hashes[start] }
        if count == 2 { return nodeHash(left: hashes[start], right: hashes[start + 1]) }
        // Hash is a trivial type, so a scratch buffer on the stack needs no initialisation.
        return withUnsafeTemporaryAllocation(of: Hash.self, capacity: count / 2) { level in
            for i in 0..<count / 2 {
                level[i] = nodeHash(left: hashes[start + 2 * i], right: hashes[start + 2 * i + 1])
            }
            var width = count / 2
            while width > 1 {
                for i in 0..<width / 2 {
                    level[i] = nodeHash(left: level[2 * i], right: level[2 * i + 1])
                }
                width /= 2
            }
            return level[0]
        }
    }

    /// Folds the roots of consecutive perfect subtrees, left to right and largest first, into the
    /// root of their union (RFC 6962 MTH): the right-most pair is joined first.
    public static func foldRight(_ roots: some BidirectionalCollection<Hash>) -> Hash? {
        guard var result = roots.last else { return nil }
        for root in roots.dropLast().reversed() {
            result = nodeHash(left: root, right: result)
        }
        return result
    }
}

/// Byte containers that can lend a contiguous buffer without copying (`[UInt8]`, `Data`,
/// `ArraySlice<UInt8>`, `UnsafeRawBufferPointer`, strings' UTF-8 through `Array`).
public protocol ContiguousBytesView {
    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R
}

extension Array: ContiguousBytesView where Element == UInt8 {
    @inlinable
    public func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withUnsafeBytes(body)
    }
}

extension ArraySlice: ContiguousBytesView where Element == UInt8 {
    @inlinable
    public func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withUnsafeBytes(body)
    }
}

extension UnsafeRawBufferPointer: ContiguousBytesView {
    @inlinable
    public func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(self)
    }
}
