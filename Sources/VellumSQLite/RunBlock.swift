import Foundation
import VellumMerkle
import VellumStorage

/// One block of a sorted run of a two-level index (`migrations/0007_index_runs.sql`): up to
/// `rows` index rows in merge order packed into one blob, so that a run is written, read and
/// merged a block at a time. Copying a row through SQLite costs ~2 µs; through a block, a few
/// tens of nanoseconds.
///
/// Layout: `count` (u32, little-endian), then `count` rows of 40 bytes: the key (32 bytes:
/// an identity, or the SHA-256 of a search key) and the index (u64, little-endian). Fixed-width
/// rows let a lookup binary-search the block without decoding it. The tail tables store each
/// transaction's rows in the same layout, in the order recorded and of any number
/// (`migrations/0008_tail_runs.sql`).
enum RunBlock {
    typealias Row = MergeTail<Hash>.Row

    /// Rows per block at most: 256 rows are 10,244 bytes, which a 16 KiB page holds without
    /// overflow pages.
    static let rows = 256
    static let rowWidth = 40

    static func encode(_ rows: some Collection<Row>) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(4 + rows.count * rowWidth)
        withUnsafeBytes(of: UInt32(rows.count).littleEndian) { bytes.append(contentsOf: $0) }
        for row in rows {
            row.key.withUnsafeBytes { bytes.append(contentsOf: $0) }
            withUnsafeBytes(of: row.index.littleEndian) { bytes.append(contentsOf: $0) }
        }
        return bytes
    }

    /// Every row of the block.
    static func decode(_ block: UnsafeRawBufferPointer) throws -> [Row] {
        let count = try rowCount(block)
        return (0..<count).map { row(block, $0) }
    }

    /// The indices stored under `key` in the block, in order.
    static func indices(of key: Hash, in block: UnsafeRawBufferPointer) throws -> [UInt64] {
        let count = try rowCount(block)
        return key.withUnsafeBytes { key in
            // The first row whose key is not below `key`.
            var low = 0
            var high = count
            while low < high {
                let middle = (low + high) / 2
                if memcmp(block.baseAddress! + 4 + middle * rowWidth, key.baseAddress!, 32) < 0 { low = middle + 1 } else { high = middle }
            }
            var result: [UInt64] = []
            while low < count && memcmp(block.baseAddress! + 4 + low * rowWidth, key.baseAddress!, 32) == 0 {
                result.append(row(block, low).index)
                low += 1
            }
            return result
        }
    }

    /// The number of rows, checked against the block's length.
    private static func rowCount(_ block: UnsafeRawBufferPointer) throws -> Int {
        guard block.count >= 4 else { throw StorageError.corrupt("an index block is shorter than its header") }
        let count = Int(block.loadUnaligned(as: UInt32.self).littleEndian)
        guard block.count == 4 + count * rowWidth else {
            throw StorageError.corrupt("an index block of \(block.count) bytes cannot hold its \(count) rows")
        }
        return count
    }

    private static func row(_ block: UnsafeRawBufferPointer, _ number: Int) -> Row {
        let start = 4 + number * rowWidth
        return Row(key: Hash(copying: block.baseAddress! + start),
                   index: block.loadUnaligned(fromByteOffset: start + 32, as: UInt64.self).littleEndian)
    }
}
