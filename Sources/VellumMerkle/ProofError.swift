/// Why a proof could not be planned, assembled or verified. Each case names the rule broken,
/// with the values involved, so that a caller (and the API's error mapping) can say what to fix.
public enum ProofError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Inclusion: the leaf index must be below the tree size.
    case indexBeyondSize(index: UInt64, size: UInt64)
    /// Consistency: the old size must be at least 1 (RFC 9162 §2.1.4 defines 0 < first).
    case oldSizeZero
    /// Consistency: the old size must not exceed the new size.
    case oldSizeExceedsNewSize(old: UInt64, new: UInt64)
    /// Consistency at equal sizes: only an empty proof with equal roots verifies.
    case equalSizesNeedEmptyProof(proofLength: Int)
    case equalSizesRootsDiffer
    /// The proof has the wrong number of hashes for these sizes.
    case wrongProofLength(got: Int, want: Int)
    /// The proof hashes to a different root than the one it is checked against.
    case rootMismatch(computed: Hash, expected: Hash)
    /// Consistency: the proof does not reproduce the old root.
    case oldRootMismatch(computed: Hash, expected: Hash)
    /// A tile needed for the plan was missing or narrower than required.
    case missingTile(TileAddress)
    /// Stored state has the wrong number of subtree roots for its size.
    case wrongNodeCount(got: Int, want: Int)
    /// The tiles given are not the right-edge tiles of the size.
    case wrongTileSet(want: String, got: String)
    /// A root was asked for a size beyond the tree.
    case sizeBeyondTree(size: UInt64, treeSize: UInt64)

    public var description: String {
        switch self {
        case .indexBeyondSize(let index, let size):
            return "leaf index \(index) is not below the tree size \(size)"
        case .oldSizeZero:
            return "a consistency proof needs an old size of at least 1 (RFC 9162 §2.1.4)"
        case .oldSizeExceedsNewSize(let old, let new):
            return "the old size \(old) exceeds the new size \(new)"
        case .equalSizesNeedEmptyProof(let length):
            return "equal sizes take an empty consistency proof, got \(length) hashes"
        case .equalSizesRootsDiffer:
            return "equal sizes with different roots: the two tree heads are inconsistent"
        case .wrongProofLength(let got, let want):
            return "the proof has \(got) hashes; these sizes need exactly \(want)"
        case .rootMismatch(let computed, let expected):
            return "the proof leads to root \(computed), not \(expected)"
        case .oldRootMismatch(let computed, let expected):
            return "the proof leads to old root \(computed), not \(expected)"
        case .missingTile(let address):
            return "\(address) is needed but was not provided"
        case .wrongNodeCount(let got, let want):
            return "\(got) subtree roots given where the size needs \(want)"
        case .wrongTileSet(let want, let got):
            return "wrong right-edge tiles: want \(want); got \(got)"
        case .sizeBeyondTree(let size, let treeSize):
            return "size \(size) is beyond the tree of size \(treeSize)"
        }
    }
}
