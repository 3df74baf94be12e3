import VellumSync
import VellumMerkle

/// A Bloom filter over the identities that left the tail (the `identities` b-tree of rows
/// merged before version 7, and the runs of `identity_blocks`), so that the writer can tell
/// that a new identity is not there without asking SQLite. Each batch looks up every entry's
/// identity (strict deduplication); almost all are new, and the b-tree lookup was the writer's
/// costliest statement (2.3 µs per entry at the append bench's peak, 4–5 µs at half of it).
///
/// Never a false "absent": every row written to a run is added (by the writer, as it writes a
/// sealed generation's slices; a write rolled back leaves extra bits, which only cost a lookup), and the rows that
/// were there before the store opened are added by a background scan. Until that scan ends the
/// filter answers nothing and every lookup goes to SQLite, so a store that has just opened is
/// correct at once and fast soon after.
///
/// Fixed size, so memory stays flat as the log grows: with the default 16 MiB and three bits
/// per identity, about 0.8% of new identities still take the lookup at 10M entries, and
/// most of them at 100M (where the filter still costs no more than the lookups it no longer
/// saves). The bit positions are the identity's words mixed with a per-process random seed, so
/// nobody can pick identities that fill the same bits on purpose.
final class IdentityFilter: Sendable {
    private struct State: ~Copyable {
        var bits: UnsafeMutablePointer<UInt64>
        var ready = false
    }

    private let state: Locked<State>
    /// Words in `bits`; a power of two, so a position is a mask away.
    private let wordCount: Int
    private let seed: (UInt64, UInt64, UInt64)

    /// A filter of `bytes` (rounded down to a power of two, at least 8), empty and not ready.
    init(bytes: Int) {
        var words = 1
        while words * 2 * 8 <= bytes { words *= 2 }
        wordCount = words
        let bits = UnsafeMutablePointer<UInt64>.allocate(capacity: words)
        bits.initialize(repeating: 0, count: words)
        state = Locked(State(bits: bits))
        var generator = SystemRandomNumberGenerator()
        seed = (generator.next(), generator.next(), generator.next())
    }

    deinit {
        state.withLock { $0.bits.deallocate() }
    }

    /// The three bit positions of `identity`: word index and bit, from three of its four words.
    @inline(__always)
    private func positions(_ identity: Hash) -> ((Int, UInt64), (Int, UInt64), (Int, UInt64)) {
        identity.withUnsafeBytes { raw in
            let mask = UInt64(wordCount - 1)
            func position(_ word: UInt64, _ seed: UInt64) -> (Int, UInt64) {
                // A multiply spreads the seeded word; the high bits pick the word, the low six
                // the bit within it.
                let mixed = (word ^ seed) &* 0x9E37_79B9_7F4A_7C15
                return (Int((mixed >> 6) & mask), 1 << (mixed & 63))
            }
            return (position(raw.load(fromByteOffset: 8, as: UInt64.self), seed.0),
                    position(raw.load(fromByteOffset: 16, as: UInt64.self), seed.1),
                    position(raw.load(fromByteOffset: 24, as: UInt64.self), seed.2))
        }
    }

    /// Records identities now in a run (or about to be, in the transaction under way).
    func add<S: Sequence>(_ identities: S) where S.Element == Hash {
        state.withLock { state in
            for identity in identities {
                let (a, b, c) = positions(identity)
                state.bits[a.0] |= a.1
                state.bits[b.0] |= b.1
                state.bits[c.0] |= c.1
            }
        }
    }

    /// True when `identity` is certainly not in a run or the b-tree; false when it may be, or when the
    /// filter is not ready yet.
    func certainlyAbsent(_ identity: Hash) -> Bool {
        let (a, b, c) = positions(identity)
        return state.withLock { state in
            state.ready && (state.bits[a.0] & a.1 == 0 || state.bits[b.0] & b.1 == 0 || state.bits[c.0] & c.1 == 0)
        }
    }

    /// Called when every identity stored before the writer began adding has been added.
    func markReady() {
        state.withLock { $0.ready = true }
    }

    var isReady: Bool { state.withLock { $0.ready } }
}
