import Foundation
import Testing
import VellumMerkle
import VellumStorage
import VellumTesting

@testable import VellumSQLite

/// The block format of index runs (`RunBlock`): what is encoded decodes the same, lookups
/// find exactly a key's rows, and damaged blocks are refused rather than misread.
@Suite struct RunBlockTests {
    typealias Row = RunBlock.Row

    static func key(_ i: Int) -> Hash { RFC6962.leafHash(Array("block key \(i)".utf8)) }

    /// `count` rows in merge order: keys with one row, and (when `shared`) keys with several,
    /// as search keys have.
    static func rows(_ count: Int, shared: Bool, seed: UInt64) -> [Row] {
        var generator = SeededGenerator(seed: seed)
        let rows = (0..<count).map { i in
            Row(key: key(shared ? i % max(1, count / 7) : i), index: UInt64.random(in: 0..<(1 << 62), using: &generator))
        }
        return MergeTail<Hash>.mergeOrder(rows)
    }

    @Test(arguments: [0, 1, 2, 255, 256], [false, true])
    func roundTripsAndFindsEveryRowOfAKey(count: Int, shared: Bool) throws {
        let rows = Self.rows(count, shared: shared, seed: UInt64(count))
        let block = RunBlock.encode(rows)
        #expect(block.count == 4 + 40 * count)
        let decoded = try block.withUnsafeBytes { try RunBlock.decode($0) }
        #expect(decoded.map(\.key) == rows.map(\.key))
        #expect(decoded.map(\.index) == rows.map(\.index))
        for key in Set(rows.map(\.key)) {
            let found = try block.withUnsafeBytes { try RunBlock.indices(of: key, in: $0) }
            #expect(found == rows.filter { $0.key == key }.map(\.index))
        }
        // Keys absent from the block, below, between and above those in it.
        for absent in [Hash([UInt8](repeating: 0, count: 32))!, Hash([UInt8](repeating: 0xFF, count: 32))!, Self.key(-1), Self.key(100_000)] {
            #expect(try block.withUnsafeBytes { try RunBlock.indices(of: absent, in: $0) } == [])
        }
    }

    @Test func refusesDamagedBlocks() throws {
        let block = RunBlock.encode(Self.rows(10, shared: true, seed: 1))
        let damaged: [String: [UInt8]] = [
            "shorter than its header": [1, 0],
            "count beyond the length": [255, 255, 0, 0] + Array(block.dropFirst(4)),
            "count below the length": [9, 0, 0, 0] + Array(block.dropFirst(4)),
            "cut in the last row": Array(block.dropLast(3)),
        ]
        for (name, bytes) in damaged {
            #expect(throws: StorageError.self, "\(name)") { try bytes.withUnsafeBytes { _ = try RunBlock.decode($0) } }
            #expect(throws: StorageError.self, "\(name)") {
                try bytes.withUnsafeBytes { _ = try RunBlock.indices(of: Self.key(1), in: $0) }
            }
        }
    }
}
