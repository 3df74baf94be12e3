import Testing
import VellumMerkle
import VellumTesting
@testable import VellumSQLite

/// The active generation of a tail kept as sorted runs: whatever the batch sizes, the runs
/// merged are exactly the rows sorted at once, and there are never more than log2(rows) + 1.
@Suite struct SortedRunsTests {
    typealias Row = MergeTail<Hash>.Row

    @Test(arguments: [1, 3, 40, 700])
    func mergedRunsEqualOneSort(largestBatch: Int) {
        var generator = SeededGenerator(seed: UInt64(largestBatch))
        var runs = SortedRuns<Hash>()
        var rows: [Row] = []
        for round in 0..<120 {
            let batch = (0..<Int.random(in: 0...largestBatch, using: &generator)).map { _ in
                // Few distinct keys, so that equal keys with different indices meet in merges.
                Row(key: RFC6962.leafHash([UInt8.random(in: 0...40, using: &generator)]),
                    index: UInt64.random(in: 0..<1000, using: &generator))
            }
            rows += batch
            runs.add(MergeTail.mergeOrder(batch))
            #expect(runs.count == rows.count)
            var bound = 1
            while (1 << bound) <= rows.count { bound += 1 }
            #expect(runs.runs.count <= bound)
            for (longer, shorter) in zip(runs.runs, runs.runs.dropFirst()) { #expect(longer.count >= 2 * shorter.count) }
            guard round % 20 == 19 else { continue }
            let all = runs.all
            let expected = MergeTail.mergeOrder(rows)
            #expect(all.map(\.key) == expected.map(\.key))
            #expect(all.map(\.index) == expected.map(\.index))
        }
    }
}
