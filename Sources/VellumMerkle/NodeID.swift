/// A node of the RFC 6962 tree: `level` 0 holds leaf hashes, and node (level, index) is the root
/// of the perfect subtree over leaves `[index << level, (index + 1) << level)`.
public struct NodeID: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var level: UInt8
    public var index: UInt64

    @inlinable
    public init(level: UInt8, index: UInt64) {
        self.level = level
        self.index = index
    }

    /// One word instead of two (the synthesised hash feeds the level and the index apart):
    /// receipts look up about 20 nodes each. Nodes differing only in bits the shift drops
    /// (indices ≥ 2^58, beyond any tree) merely share a bucket; equality is exact.
    @inlinable
    public func hash(into hasher: inout Hasher) {
        hasher.combine(index << 6 | UInt64(level & 63))
    }

    /// The first leaf the node covers.
    @inlinable
    public var firstLeaf: UInt64 { index << UInt64(level) }

    /// One past the last leaf the node covers. Saturates for nodes at the very end of the
    /// UInt64 range, which a tree of size ≤ 2^64 - 1 never completes anyway.
    @inlinable
    public var endLeaf: UInt64 {
        let (end, overflow) = (index &+ 1).multipliedReportingOverflow(by: 1 << UInt64(level))
        return overflow || index == .max ? .max : end
    }

    public static func < (lhs: NodeID, rhs: NodeID) -> Bool {
        (lhs.level, lhs.index) < (rhs.level, rhs.index)
    }

    public var description: String { "node(\(level), \(index))" }

    /// The perfect subtrees that make up the leaf range `[begin, end)`, left to right, when
    /// `begin` is aligned to the largest of them (as for the ranges a proof needs: `[0, size)`
    /// and the right-border range of an inclusion path). Their roots folded from the right give
    /// the range's RFC 6962 hash.
    static func decomposition(begin: UInt64, end: UInt64) -> [NodeID] {
        var nodes: [NodeID] = []
        var position = begin
        var remaining = end - begin
        while remaining > 0 {
            let level = UInt8(63 - remaining.leadingZeroBitCount)
            nodes.append(NodeID(level: level, index: position >> UInt64(level)))
            position += 1 << UInt64(level)
            remaining -= 1 << UInt64(level)
        }
        return nodes
    }
}
