import VellumSync
import VellumMerkle

/// A naive RFC 6962 tree, written straight from the recursive definitions (RFC 6962 §2.1 MTH,
/// PATH, PROOF/SUBPROOF) and used only to cross-check the tiled engine. Subtree hashes are
/// memoised by range, which keeps the definitions literal and the tests fast.
public final class ReferenceTree: Sendable {
    public let leafHashes: [Hash]
    private let memo = Locked<[Int: Hash]>([:])

    public init(leafHashes: [Hash]) {
        self.leafHashes = leafHashes
    }

    /// A tree whose entries are `entry(i)` for i in 0..<count.
    public convenience init(count: Int, entry: (Int) -> [UInt8]) {
        self.init(leafHashes: (0..<count).map { RFC6962.leafHash(entry($0)) })
    }

    /// Entries `"leaf <i>"`, the `leafN` sequence of the shared vectors.
    public static func leafN(_ count: Int) -> ReferenceTree {
        ReferenceTree(count: count) { Array("leaf \($0)".utf8) }
    }

    /// k: the largest power of two strictly less than n (n ≥ 2).
    private func split(_ n: Int) -> Int {
        var k = 1
        while k << 1 < n { k <<= 1 }
        return k
    }

    /// MTH(D[lo:hi]).
    public func mth(_ lo: Int, _ hi: Int) -> Hash {
        let n = hi - lo
        if n == 0 { return RFC6962.emptyRoot }
        if n == 1 { return leafHashes[lo] }
        let key = lo &* 1_000_003 &+ hi
        if let known = memo.withLock({ $0[key] }) { return known }
        let k = split(n)
        let result = RFC6962.nodeHash(left: mth(lo, lo + k), right: mth(lo + k, hi))
        memo.withLock { $0[key] = result }
        return result
    }

    /// The root of the first `size` leaves.
    public func root(size: Int) -> Hash { mth(0, size) }

    /// PATH(m, D[lo:hi]).
    private func path(_ m: Int, _ lo: Int, _ hi: Int) -> [Hash] {
        let n = hi - lo
        if n <= 1 { return [] }
        let k = split(n)
        if m < k { return path(m, lo, lo + k) + [mth(lo + k, hi)] }
        return path(m - k, lo + k, hi) + [mth(lo, lo + k)]
    }

    /// The audit path of leaf `index` in the tree of `size`.
    public func inclusionProof(index: Int, size: Int) -> [Hash] { path(index, 0, size) }

    /// SUBPROOF(m, D[lo:hi], b).
    private func subproof(_ m: Int, _ lo: Int, _ hi: Int, _ b: Bool) -> [Hash] {
        let n = hi - lo
        if m == n { return b ? [] : [mth(lo, hi)] }
        let k = split(n)
        if m <= k { return subproof(m, lo, lo + k, b) + [mth(lo + k, hi)] }
        return subproof(m - k, lo + k, hi, false) + [mth(lo, lo + k)]
    }

    /// PROOF(m, D[n]) for 0 < m ≤ n.
    public func consistencyProof(oldSize: Int, newSize: Int) -> [Hash] {
        subproof(oldSize, 0, newSize, true)
    }

    /// Tile (level, index) at `size` by the definition: hash i is
    /// MTH(D[(index·2^h + i)·2^(h·level) : (index·2^h + i + 1)·2^(h·level)]), for every i whose
    /// range is complete. `nil` when the tile is empty.
    public func tile(level: Int, index: Int, size: Int, height: Int) -> [Hash]? {
        let span = 1 << (height * level)
        var hashes: [Hash] = []
        for i in 0..<(1 << height) {
            let lo = ((index << height) + i) * span
            guard lo + span <= size else { break }
            hashes.append(mth(lo, lo + span))
        }
        return hashes.isEmpty ? nil : hashes
    }
}
