import Testing
import VellumMerkle
import VellumTesting

/// The edge cases of RFC 9162 §2.1.3.2 and §2.1.4.2 as the shared vectors rule them, each named.
@Suite struct ProofEdgeCaseTests {
    static let reference = ReferenceTree.leafN(20)
    var root8: Hash { Self.reference.root(size: 8) }

    @Test func singleLeafTreeTakesAnEmptyProof() throws {
        let leaf = Self.reference.leafHashes[0]
        try InclusionProof.verify(leafIndex: 0, treeSize: 1, leafHash: leaf, proof: [], root: leaf)
        #expect(throws: ProofError.wrongProofLength(got: 1, want: 0)) {
            try InclusionProof.verify(leafIndex: 0, treeSize: 1, leafHash: leaf, proof: [leaf], root: leaf)
        }
    }

    @Test func rejectsIndexAtOrBeyondSize() {
        #expect(throws: ProofError.indexBeyondSize(index: 8, size: 8)) {
            try InclusionProof.verify(leafIndex: 8, treeSize: 8, leafHash: Self.reference.leafHashes[8], proof: [], root: root8)
        }
        #expect(throws: ProofError.indexBeyondSize(index: 0, size: 0)) { try InclusionProof.plan(leafIndex: 0, treeSize: 0) }
    }

    @Test func rejectsTruncatedAndExtendedProofs() throws {
        let proof = Self.reference.inclusionProof(index: 5, size: 8)
        let leaf = Self.reference.leafHashes[5]
        try InclusionProof.verify(leafIndex: 5, treeSize: 8, leafHash: leaf, proof: proof, root: root8)
        #expect(throws: ProofError.wrongProofLength(got: 2, want: 3)) {
            try InclusionProof.verify(leafIndex: 5, treeSize: 8, leafHash: leaf, proof: Array(proof.dropLast()), root: root8)
        }
        #expect(throws: ProofError.wrongProofLength(got: 4, want: 3)) {
            try InclusionProof.verify(leafIndex: 5, treeSize: 8, leafHash: leaf, proof: proof + [leaf], root: root8)
        }
        let tooLong = [Hash](repeating: leaf, count: 65)
        #expect(throws: ProofError.self) {
            try InclusionProof.verify(leafIndex: 0, treeSize: .max, leafHash: leaf, proof: tooLong, root: root8)
        }
    }

    @Test func rejectsWrongLeafWithRootMismatch() {
        let proof = Self.reference.inclusionProof(index: 5, size: 8)
        #expect {
            try InclusionProof.verify(leafIndex: 5, treeSize: 8, leafHash: Self.reference.leafHashes[4], proof: proof, root: root8)
        } throws: { error in
            if case .rootMismatch = error as? ProofError { return true }
            return false
        }
    }

    @Test func equalSizesVerifyOnlyWithEmptyProofAndEqualRoots() throws {
        try ConsistencyProof.verify(oldSize: 8, newSize: 8, oldRoot: root8, newRoot: root8, proof: [])
        #expect(throws: ProofError.equalSizesNeedEmptyProof(proofLength: 1)) {
            try ConsistencyProof.verify(oldSize: 8, newSize: 8, oldRoot: root8, newRoot: root8, proof: [root8])
        }
        #expect(throws: ProofError.equalSizesRootsDiffer) {
            try ConsistencyProof.verify(oldSize: 8, newSize: 8, oldRoot: root8, newRoot: Self.reference.root(size: 7), proof: [])
        }
        #expect(try ConsistencyProof.plan(oldSize: 8, newSize: 8).count == 0)
    }

    @Test func rejectsOldSizeZeroEvenForTheEmptyTree() {
        let empty = RFC6962.emptyRoot
        #expect(throws: ProofError.oldSizeZero) {
            try ConsistencyProof.verify(oldSize: 0, newSize: 0, oldRoot: empty, newRoot: empty, proof: [])
        }
        #expect(throws: ProofError.oldSizeZero) {
            try ConsistencyProof.verify(oldSize: 0, newSize: 8, oldRoot: empty, newRoot: root8, proof: [])
        }
        #expect(throws: ProofError.oldSizeZero) { try ConsistencyProof.plan(oldSize: 0, newSize: 8) }
    }

    @Test func rejectsOldSizeAboveNewSize() {
        #expect(throws: ProofError.oldSizeExceedsNewSize(old: 9, new: 8)) {
            try ConsistencyProof.verify(oldSize: 9, newSize: 8, oldRoot: root8, newRoot: root8, proof: [])
        }
        #expect(throws: ProofError.oldSizeExceedsNewSize(old: 9, new: 8)) { try ConsistencyProof.plan(oldSize: 9, newSize: 8) }
    }

    @Test func powerOfTwoOldSizeOmitsTheOldRoot() throws {
        // RFC 6962 examples: 4 → 8 takes one hash, 3 → 7 takes four.
        #expect(try ConsistencyProof.length(oldSize: 4, newSize: 8) == 1)
        #expect(try ConsistencyProof.length(oldSize: 3, newSize: 7) == 4)
        #expect(try ConsistencyProof.length(oldSize: 1, newSize: 2) == 1)
        let proof = Self.reference.consistencyProof(oldSize: 4, newSize: 8)
        try ConsistencyProof.verify(oldSize: 4, newSize: 8, oldRoot: Self.reference.root(size: 4), newRoot: root8, proof: proof)
        #expect {
            try ConsistencyProof.verify(oldSize: 4, newSize: 8, oldRoot: Self.reference.root(size: 3), newRoot: root8, proof: proof)
        } throws: { error in
            // The old root is the proof's first hash here, so a wrong one surfaces at the new root.
            if case .rootMismatch = error as? ProofError { return true }
            return false
        }
        // For other old sizes the old root is recomputed and checked on its own.
        let proof7 = Self.reference.consistencyProof(oldSize: 7, newSize: 8)
        #expect {
            try ConsistencyProof.verify(oldSize: 7, newSize: 8, oldRoot: Self.reference.root(size: 6), newRoot: root8, proof: proof7)
        } throws: { error in
            if case .oldRootMismatch = error as? ProofError { return true }
            return false
        }
    }

    @Test func errorsSayWhatIsWrong() {
        #expect(ProofError.oldSizeZero.description.contains("at least 1"))
        #expect(ProofError.wrongProofLength(got: 2, want: 3).description.contains("exactly 3"))
        #expect(ProofError.indexBeyondSize(index: 8, size: 8).description.contains("not below the tree size 8"))
    }
}
