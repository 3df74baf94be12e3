/// The walk of RFC 9162 §2.1.3.2 from a leaf towards the root, one audit-path element at a
/// time, without the hashing: which side each element goes on, and which subtree the running
/// hash stands for after it. `InclusionProof.root` hashes along it; `SharedPathVerifier` uses
/// the subtrees to recognise the part of a path another proof already verified.
@usableFromInline
struct PathWalk {
    /// RFC 9162's `fn` and `sn`: the index of the running node at its level, and of the last
    /// node at that level.
    @usableFromInline var fn: UInt64
    @usableFromInline var sn: UInt64
    /// How many levels the walk has climbed.
    @usableFromInline var level: UInt8 = 0

    @inlinable
    init(leafIndex: UInt64, treeSize: UInt64) {
        fn = leafIndex
        sn = treeSize - 1
    }

    /// True once the walk has reached the root (RFC 9162: `sn` is 0).
    @inlinable
    var atRoot: Bool { sn == 0 }

    /// Takes the next element of the path; true when it is the LEFT operand of the node hash.
    ///
    /// A node with no right sibling (the last one of its level, at an even index) is the same
    /// subtree as its parent, so the walk climbs over it without an element.
    @inlinable
    mutating func step() -> Bool {
        let left = fn & 1 == 1 || fn == sn
        if left && fn & 1 == 0 {
            while fn & 1 == 0 && fn != 0 {
                fn >>= 1
                sn >>= 1
                level += 1
            }
        }
        fn >>= 1
        sn >>= 1
        level += 1
        return left
    }

    /// The subtree the running hash stands for after the elements taken so far: leaves
    /// [fn·2^level, min((fn+1)·2^level, size)). What the rest of the walk does depends only on
    /// this node (and the tree size), never on the leaf it started from.
    @inlinable
    var node: NodeID { NodeID(level: level, index: fn) }
}
