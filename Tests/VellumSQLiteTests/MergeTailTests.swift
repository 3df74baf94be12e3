import Testing
import VellumMerkle
@testable import VellumSQLite

/// The in-memory tail never grows its active lookup inside a commit: the lookup is made big
/// enough for a whole generation when the tail is made and again at every seal.
@Suite struct MergeTailTests {
    typealias Row = MergeTail<Hash>.Row

    static func rows(_ range: Range<Int>) -> [Row] {
        range.map { Row(key: RFC6962.leafHash(Array("row \($0)".utf8)), index: UInt64($0)) }
    }

    @Test func activeLookupHoldsAGenerationFromTheStartAndAfterEachSeal() {
        let generation = 1000
        var tail = MergeTail<Hash>(generation: generation)
        #expect(tail.active.capacity >= generation)
        var next = 0
        for round in 0..<3 {
            // Fill the active generation batch by batch, then seal it with the last batch.
            while next < (round + 1) * generation {
                var changes = MergeTail<Hash>.Changes()
                changes.rows = Self.rows(next..<next + 100)
                next += 100
                if next == (round + 1) * generation { changes.sealedRows = MergeTail.mergeOrder(Self.rows(round * generation..<next)) }
                let before = tail.active.capacity
                tail.commit(changes)
                if changes.sealedRows == nil { #expect(tail.active.capacity == before, "the active lookup grew in a commit") }
            }
            #expect(tail.active.capacity >= generation, "a seal left a lookup that must grow")
            #expect(tail.firstIndex(of: Self.rows(next - 1..<next)[0].key) == UInt64(next - 1))
        }
    }
}
