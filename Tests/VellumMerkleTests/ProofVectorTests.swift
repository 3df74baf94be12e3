import Foundation
import Testing
import VellumMerkle
import VellumTesting

/// Every inclusion and consistency vector of the shared set: valid ones verify and are
/// reproduced byte for byte by plan + assemble from tiles; invalid ones are rejected with an
/// error that fits what the vector broke.
@Suite struct ProofVectorTests {
    /// Trees for the named leaf sequences, built once to their full length. Proofs for smaller
    /// sizes are read from these wider tiles, as a server reads old proofs from current tiles.
    static let stores: [String: TileStore] = {
        guard Vectors.available, let file = try? Vectors.load(TreesFile.self, from: "normalized/trees.json") else { return [:] }
        var stores: [String: TileStore] = [:]
        for sequence in file.sequences {
            var store = TileStore()
            store.append(sequence.leaves.map { RFC6962.leafHash($0) })
            stores[sequence.name] = store
        }
        var big = TileStore()
        big.append((0..<5000).map { RFC6962.leafHash(leafN($0)) })
        stores["leafN"] = big
        return stores
    }()

    /// The error kinds a vector's mutation may legitimately produce.
    static func allowed(_ vectorCase: String) -> Set<String> {
        switch vectorCase {
        case "truncated_proof", "extra_hash", "empty_proof": return ["wrongProofLength", "equalSizesNeedEmptyProof", "rootMismatch", "oldRootMismatch"]
        case "wrong_root", "modified_hash", "swapped_hash", "reversed_proof", "wrong_leaf_hash":
            return ["rootMismatch", "oldRootMismatch", "equalSizesRootsDiffer"]
        case "wrong_index", "wrong_size": return ["indexBeyondSize", "wrongProofLength", "rootMismatch", "oldRootMismatch", "oldSizeExceedsNewSize", "oldSizeZero", "equalSizesNeedEmptyProof", "equalSizesRootsDiffer"]
        case "edge_size0": return ["indexBeyondSize", "oldSizeZero"]
        case "size1_zero": return ["oldSizeZero"]
        case "size1_greater": return ["oldSizeExceedsNewSize"]
        case "nonempty_proof_equal_sizes": return ["equalSizesNeedEmptyProof"]
        default: return Set(ProofError.kinds)
        }
    }

    static func inclusionVectors(_ path: String) -> [InclusionVector] {
        guard Vectors.available else { return [] }
        return (try? Vectors.load(VectorList<InclusionVector>.self, from: path).vectors) ?? []
    }

    static func consistencyVectors(_ path: String) -> [ConsistencyVector] {
        guard Vectors.available else { return [] }
        return (try? Vectors.load(VectorList<ConsistencyVector>.self, from: path).vectors) ?? []
    }

    @Test(.enabled(if: Vectors.available), arguments: ["normalized/inclusion.json", "big/inclusion.json"])
    func inclusionVectorsVerifyOrFailAsRuled(path: String) throws {
        let vectors = Self.inclusionVectors(path)
        #expect(vectors.count > 4000, "expected the full vector file at \(path)")
        var reproduced = 0
        for v in vectors {
            let label = "\(v.sequence) \(v.case): \(v.desc)"
            guard let leaf = hash(v.leaf_hash), let root = hash(v.root), let proof = hashes(v.proof) else {
                #expect(!v.valid, "valid vector with a non-32-byte hash: \(label)")
                continue
            }
            do {
                try InclusionProof.verify(leafIndex: v.leaf_index, treeSize: v.tree_size, leafHash: leaf, proof: proof, root: root)
                #expect(v.valid, "accepted an invalid proof: \(label)")
            } catch {
                #expect(!v.valid, "rejected a valid proof (\(error)): \(label)")
                #expect(Self.allowed(v.case).contains(error.kind), "\(label) failed as \(error.kind)")
            }
            if v.valid, !v.case.hasSuffix("still_verifies"), let store = Self.stores[v.sequence], v.tree_size <= store.tree.size {
                let plan = try InclusionProof.plan(leafIndex: v.leaf_index, treeSize: v.tree_size)
                #expect(try store.assemble(plan) == proof, "generated proof differs: \(label)")
                reproduced += 1
            }
        }
        #expect(reproduced >= 400)
    }

    @Test(.enabled(if: Vectors.available), arguments: ["normalized/consistency.json", "big/consistency.json"])
    func consistencyVectorsVerifyOrFailAsRuled(path: String) throws {
        let vectors = Self.consistencyVectors(path)
        #expect(vectors.count > 4000, "expected the full vector file at \(path)")
        var reproduced = 0
        for v in vectors {
            let label = "\(v.sequence) \(v.case) \(v.size1)→\(v.size2): \(v.desc)"
            guard let root1 = hash(v.root1), let root2 = hash(v.root2), let proof = hashes(v.proof) else {
                #expect(!v.valid, "valid vector with a non-32-byte hash: \(label)")
                continue
            }
            do {
                try ConsistencyProof.verify(oldSize: v.size1, newSize: v.size2, oldRoot: root1, newRoot: root2, proof: proof)
                #expect(v.valid, "accepted an invalid proof: \(label)")
            } catch {
                #expect(!v.valid, "rejected a valid proof (\(error)): \(label)")
                #expect(Self.allowed(v.case).contains(error.kind), "\(label) failed as \(error.kind)")
            }
            if v.valid, !v.case.hasSuffix("still_verifies"), let store = Self.stores[v.sequence], v.size2 <= store.tree.size {
                let plan = try ConsistencyProof.plan(oldSize: v.size1, newSize: v.size2)
                #expect(try store.assemble(plan) == proof, "generated proof differs: \(label)")
                reproduced += 1
            }
        }
        #expect(reproduced > 400)
    }

    @Test(.enabled(if: Vectors.available)) func realRekorInclusionProofsVerify() throws {
        struct File: Decodable {
            struct Negative: Decodable { let desc: String; let leaf_index: UInt64; let tree_size: UInt64; let leaf_hash: Data?; let valid: Bool }
            struct Entry: Decodable {
                let source: String; let leaf_index: UInt64; let tree_size: UInt64
                let canonicalized_body: Data; let leaf_hash: Data; let root: Data; let proof: [Data]
                let inclusion_valid: Bool; let negatives: [Negative]
            }
            let entries: [Entry]
        }
        let file = try Vectors.load(File.self, from: "normalized/real_world_rekor.json")
        #expect(file.entries.count == 12)
        for entry in file.entries {
            let leaf = RFC6962.leafHash(entry.canonicalized_body)
            #expect(leaf == Hash(entry.leaf_hash), "\(entry.source)")
            let proof = try #require(hashes(entry.proof))
            let root = try #require(hash(entry.root))
            #expect(throws: Never.self) {
                try InclusionProof.verify(leafIndex: entry.leaf_index, treeSize: entry.tree_size, leafHash: leaf, proof: proof, root: root)
            }
            #expect(entry.inclusion_valid)
            for negative in entry.negatives {
                let negativeLeaf = negative.leaf_hash.flatMap(hash) ?? leaf
                #expect(throws: ProofError.self, "\(negative.desc)") {
                    try InclusionProof.verify(leafIndex: negative.leaf_index, treeSize: negative.tree_size, leafHash: negativeLeaf, proof: proof, root: root)
                }
                #expect(!negative.valid)
            }
        }
    }
}

extension ProofError {
    static let kinds = ["indexBeyondSize", "oldSizeZero", "oldSizeExceedsNewSize", "equalSizesNeedEmptyProof",
                        "equalSizesRootsDiffer", "wrongProofLength", "rootMismatch", "oldRootMismatch"]
}

extension Error {
    /// The case name of a ProofError, for matching against what a vector broke.
    var kind: String {
        guard let error = self as? ProofError else { return "not a ProofError: \(self)" }
        switch error {
        case .indexBeyondSize: return "indexBeyondSize"
        case .oldSizeZero: return "oldSizeZero"
        case .oldSizeExceedsNewSize: return "oldSizeExceedsNewSize"
        case .equalSizesNeedEmptyProof: return "equalSizesNeedEmptyProof"
        case .equalSizesRootsDiffer: return "equalSizesRootsDiffer"
        case .wrongProofLength: return "wrongProofLength"
        case .rootMismatch: return "rootMismatch"
        case .oldRootMismatch: return "oldRootMismatch"
        case .missingTile: return "missingTile"
        case .wrongNodeCount: return "wrongNodeCount"
        case .wrongTileSet: return "wrongTileSet"
        case .sizeBeyondTree: return "sizeBeyondTree"
        }
    }
}
