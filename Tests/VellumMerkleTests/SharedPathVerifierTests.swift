import Testing
import VellumMerkle
import VellumTesting

/// `SharedPathVerifier` against the naive reference tree: it must accept exactly the proofs
/// `InclusionProof.verify` accepts, with the same error otherwise, however much it remembers.
@Suite struct SharedPathVerifierTests {
    static let reference = ReferenceTree.leafN(300)

    func proof(_ index: Int, _ size: Int) -> [Hash] { Self.reference.inclusionProof(index: index, size: size) }
    func leaf(_ index: Int) -> Hash { Self.reference.leafHashes[index] }

    /// The error each verifier throws, nil when it accepts.
    func outcomes(_ verifier: SharedPathVerifier, index: Int, leafHash: Hash, proof: [Hash]) -> (shared: ProofError?, plain: ProofError?) {
        var shared: ProofError?
        var plain: ProofError?
        do { try verifier.verify(leafIndex: UInt64(index), leafHash: leafHash, proof: proof) } catch { shared = error }
        do {
            try InclusionProof.verify(leafIndex: UInt64(index), treeSize: verifier.treeSize, leafHash: leafHash,
                                      proof: proof, root: verifier.root)
        } catch { plain = error }
        return (shared, plain)
    }

    @Test func acceptsEveryProofOfABatchInAnyOrderAtEverySize() throws {
        var random = SeededGenerator(seed: 11)
        for size in 1...300 {
            for start in Set([0, Int.random(in: 0..<size, using: &random), size - 1]) {
                let verifier = SharedPathVerifier(treeSize: UInt64(size), root: Self.reference.root(size: size),
                                                  leaves: UInt64(start)..<UInt64(size))
                // Leaves outside the batch too: they are verified without the memory.
                for index in (0..<size).shuffled(using: &random) {
                    try verifier.verify(leafIndex: UInt64(index), leafHash: leaf(index), proof: proof(index, size))
                }
            }
        }
    }

    /// Once every path is remembered, each named mutation of each proof is still rejected, with
    /// the error a fresh verification gives: a remembered subtree is only a shortcut for a
    /// proof that agrees with the remembered one from there up.
    @Test(arguments: Array(1...70) + [127, 128, 129, 255, 256, 257, 300])
    func rejectsEveryMutationOnceThePathsAreRemembered(size: Int) throws {
        let root = Self.reference.root(size: size)
        let verifier = SharedPathVerifier(treeSize: UInt64(size), root: root, leaves: 0..<UInt64(size))
        for index in 0..<size { try verifier.verify(leafIndex: UInt64(index), leafHash: leaf(index), proof: proof(index, size)) }
        for index in 0..<size {
            let good = proof(index, size)
            var mutations: [(name: String, leafHash: Hash, proof: [Hash])] = [
                ("wrong-leaf", leaf((index + 1) % 300), good),
                ("truncated-proof", leaf(index), Array(good.dropLast())),
                ("extended-proof", leaf(index), good + [Hash.zero]),
                ("index-shifted-proof", leaf(index), proof(index ^ 1 < size ? index ^ 1 : index, size)),
            ]
            for k in good.indices {
                var flipped = good
                flipped[k] = RFC6962.nodeHash(left: good[k], right: good[k])
                mutations.append(("changed-hash@\(k)", leaf(index), flipped))
                if k + 1 < good.count {
                    var swapped = good
                    swapped.swapAt(k, k + 1)
                    mutations.append(("swapped-hash@\(k)", leaf(index), swapped))
                }
            }
            for mutation in mutations where mutation.leafHash != leaf(index) || mutation.proof != good {
                let (shared, plain) = outcomes(verifier, index: index, leafHash: mutation.leafHash, proof: mutation.proof)
                #expect(plain != nil, "\(mutation.name) of leaf \(index) in \(size) should not verify")
                #expect(shared == plain, "\(mutation.name) of leaf \(index) in \(size)")
            }
        }
    }

    @Test func aWrongRootRejectsEveryProof() throws {
        let size = 100
        let verifier = SharedPathVerifier(treeSize: UInt64(size), root: Self.reference.root(size: size - 1), leaves: 0..<UInt64(size))
        for index in 0..<size {
            let (shared, plain) = outcomes(verifier, index: index, leafHash: leaf(index), proof: proof(index, size))
            #expect(plain != nil)
            #expect(shared == plain)
        }
    }

    @Test func verifiesFromManyThreadsAtOnce() async throws {
        let size = 300
        let verifier = SharedPathVerifier(treeSize: UInt64(size), root: Self.reference.root(size: size), leaves: 40..<UInt64(size))
        let proofs = (0..<size).map { proof($0, size) }
        let leaves = Self.reference.leafHashes
        let failures = await withTaskGroup(of: Int.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    var failures = 0
                    for index in stride(from: worker, to: size, by: 8) {
                        do { try verifier.verify(leafIndex: UInt64(index), leafHash: leaves[index], proof: proofs[index]) } catch { failures += 1 }
                        // A wrong leaf must fail even while other threads fill the memory.
                        do {
                            try verifier.verify(leafIndex: UInt64(index), leafHash: leaves[(index + 1) % size], proof: proofs[index])
                            failures += 1
                        } catch {}
                    }
                    return failures
                }
            }
            return await group.reduce(0, +)
        }
        #expect(failures == 0)
    }
}
