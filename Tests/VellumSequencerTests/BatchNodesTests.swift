import Testing
import VellumMerkle
import VellumTesting
@testable import VellumSequencer

@Suite struct BatchNodesTests {
    /// For batches starting at every tree size up to 300 and adding up to 70 leaves: the
    /// starting roots and every node integration completes are found again (set in order, as a
    /// batch does, and shuffled), and a node the batch does not know is not.
    @Test func holdsWhatABatchKnowsAndNothingElse() {
        var generator = SeededGenerator(seed: 0xBA7C)
        for start in UInt64(0)...300 {
            var tree = CompactRange()
            for leaf in 0..<start { tree.append(RFC6962.leafHash(Array("\(leaf)".utf8))) }
            var known: [(NodeID, Hash)] = Array(zip(tree.rootIDs, tree.roots))
            let added = UInt64.random(in: 1...70, using: &generator)
            for leaf in start..<start + added {
                tree.append(RFC6962.leafHash(Array("\(leaf)".utf8)), visitor: { node, hash in known.append((node, hash)) })
            }
            for order in [known, known.shuffled(using: &generator)] {
                var nodes = BatchNodes(start: start)
                for (node, hash) in order { nodes.set(node, hash) }
                let wrong = known.filter { nodes[$0.0] != $0.1 }
                #expect(wrong.isEmpty, "start \(start): \(wrong.count) nodes not found")
                let ids = Set(known.map(\.0))
                let absent = (0..<8).flatMap { level in (0..<(start + added) >> level + 2).map { NodeID(level: UInt8(level), index: $0) } }
                    .filter { !ids.contains($0) && nodes[$0] != nil }
                #expect(absent.isEmpty, "start \(start): \(absent.count) unknown nodes found")
            }
        }
    }
}
