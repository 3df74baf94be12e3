import VellumMerkle

/// Checking a new version of a stored entry bundle against the `putEntryBundle` contract
/// (`LogWriteTransaction`), the same way in every store.
extension EntryBundle {
    /// The entries that `bytes`, a new version of bundle `index`, appends to the `storedCount`
    /// entries already stored: those past the first `storedCount` (none when it adds nothing).
    ///
    /// The first `storedCount` entries are skipped, not compared: stores keep what they have.
    /// Throws `StorageError.entryBundleShrinks` when `bytes` holds fewer entries than are
    /// stored, and `StorageError.invalidEntryBundle` when it is malformed or the bundle would
    /// hold more than 256 entries.
    public static func entries(appendedTo storedCount: Int, bundle index: UInt64,
                               in bytes: [UInt8]) throws(StorageError) -> [ArraySlice<UInt8>] {
        func parsing<T>(_ body: () throws(EntryBundleError) -> T) throws(StorageError) -> T {
            do { return try body() } catch { throw .invalidEntryBundle(index: index, reason: error.description) }
        }
        guard let start = try parsing({ () throws(EntryBundleError) in try end(ofFirst: storedCount, in: bytes) }) else {
            let count = try parsing { () throws(EntryBundleError) in try EntryBundle.entryRanges(in: bytes).count }
            throw .entryBundleShrinks(index: index, stored: storedCount, new: count)
        }
        // Slices of `bytes`, not copies: the SQLite store binds them straight from here.
        let appended = try parsing { () throws(EntryBundleError) in try EntryBundle.entryRanges(in: bytes, from: start) }.map { bytes[$0] }
        let total = storedCount + appended.count
        guard total <= TilePath.fullWidth else {
            throw .invalidEntryBundle(index: index, reason: EntryBundleError.tooManyEntries(count: total).description)
        }
        return appended
    }
}
