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

/// A small deterministic generator so random tests are reproducible (SplitMix64).
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
