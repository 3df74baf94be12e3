import VellumMerkle

/// The key of a two-level index (`MergeTail`): an identity, or the SHA-256 of a search key.
/// `<` must order keys as SQLite orders BLOBs (memcmp), so that rows sorted here are in the
/// order of a run's blocks (`RunBlock`, keyed by their first row in SQLite).
protocol TailKey: Hashable, Comparable, Sendable {}

extension Hash: TailKey {}
