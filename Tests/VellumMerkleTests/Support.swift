import Foundation
import VellumMerkle

/// Converts vector bytes to a Hash; non-32-byte values (some negative vectors use them on
/// purpose) come back nil, and the caller counts that as a rejection.
func hash(_ data: Data) -> Hash? { Hash(data) }

func hashes(_ list: [Data]) -> [Hash]? {
    var result: [Hash] = []
    for item in list {
        guard let h = Hash(item) else { return nil }
        result.append(h)
    }
    return result
}

/// Leaf entries of the named sequences in the shared vectors.
func leafN(_ i: Int) -> [UInt8] { Array("leaf \(i)".utf8) }
