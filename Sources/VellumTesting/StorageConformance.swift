import VellumMerkle
import VellumStorage

/// The contract every `LogStorage` must keep, as named checks. Each check gets a fresh, empty
/// store from `makeStore` and throws `ConformanceFailure` naming what broke. The in-memory and
/// SQLite stores both run all of them (and a PostgreSQL store would).
public enum StorageConformance {
    public struct Failure: Error, CustomStringConvertible {
        public let check: String
        public let message: String
        public var description: String { "\(check): \(message)" }
    }

    /// The checks, by name.
    public static let checks: [(name: String, run: @Sendable (any LogStorage) throws -> Void)] = [
        ("emptyStoreHasEmptyState", emptyStoreHasEmptyState),
        ("committedWritesAreVisible", committedWritesAreVisible),
        ("widerTileReplacesNarrower", widerTileReplacesNarrower),
        ("entryBundlesGrowAndNeverShrink", entryBundlesGrowAndNeverShrink),
        ("thrownBodyWritesNothing", thrownBodyWritesNothing),
        ("duplicateIdentityFailsTheWholeWrite", duplicateIdentityFailsTheWholeWrite),
        ("identityIfAbsentFindsCommittedAndOwnWrites", identityIfAbsentFindsCommittedAndOwnWrites),
        ("identitiesIfAbsentNumberOnlyTheNewOnes", identitiesIfAbsentNumberOnlyTheNewOnes),
        ("checkpointsNeverGoBackwards", checkpointsNeverGoBackwards),
        ("searchKeysCollectIndices", searchKeysCollectIndices),
        ("attachmentsAreKeptByIndex", attachmentsAreKeptByIndex),
        ("missingThingsAreNil", missingThingsAreNil),
        ("metadataIsSetOnce", metadataIsSetOnce),
        ("singleEntriesAreTheirBundles", singleEntriesAreTheirBundles),
        ("entriesAppendedAfterAReadAreFound", entriesAppendedAfterAReadAreFound),
    ]

    static func expect(_ condition: Bool, _ check: String, _ message: @autoclosure () throws -> String) throws {
        if !condition { throw Failure(check: check, message: try message()) }
    }

    static func sampleTile(level: UInt8, index: UInt64, width: Int) -> Tile {
        Tile(id: TileID(level: level, index: index),
             hashes: (0..<width).map { RFC6962.leafHash(Array("tile \(level)/\(index)/\($0)".utf8)) })
    }

    static func checkpoint(_ size: UInt64) -> StoredCheckpoint {
        StoredCheckpoint(size: size, root: RFC6962.leafHash(Array("root \(size)".utf8)),
                         note: Array("origin\n\(size)\n…\n\n— sig\n".utf8), signedAt: 1_700_000_000_000 + size)
    }

    static func emptyStoreHasEmptyState(_ store: any LogStorage) throws {
        let name = "emptyStoreHasEmptyState"
        try expect(try store.treeState() == .empty, name, "new store state is \(try store.treeState())")
        try expect(try store.latestCheckpoint() == nil, name, "new store has a checkpoint")
    }

    static func committedWritesAreVisible(_ store: any LogStorage) throws {
        let name = "committedWritesAreVisible"
        let tiles = [sampleTile(level: 0, index: 0, width: 256), sampleTile(level: 0, index: 1, width: 3), sampleTile(level: 1, index: 0, width: 1)]
        let identity = RFC6962.leafHash([1, 2, 3])
        let bundle: [UInt8] = [0, 1, 0x61, 0, 0]
        try store.write { tx in
            for tile in tiles { try tx.putTile(tile) }
            try tx.putEntryBundle(index: 0, bytes: bundle)
            try tx.putIdentity(identity, index: 258)
            try tx.putTreeState(TreeState(size: 259, root: tiles[0].hashes[0]))
            try tx.putCheckpoint(checkpoint(259))
        }
        let read = try store.tiles(tiles.map(\.id).reversed())
        try expect(Set(read) == Set(tiles), name, "tiles read back differ")
        try expect(try store.entryBundle(index: 0) == bundle, name, "bundle read back differs")
        try expect(try store.index(ofIdentity: identity) == 258, name, "identity not found")
        try expect(try store.treeState() == TreeState(size: 259, root: tiles[0].hashes[0]), name, "state differs")
        try expect(try store.latestCheckpoint() == checkpoint(259), name, "latest checkpoint differs")
        try expect(try store.checkpoint(size: 259) == checkpoint(259), name, "checkpoint by size differs")
    }

    static func widerTileReplacesNarrower(_ store: any LogStorage) throws {
        let name = "widerTileReplacesNarrower"
        let narrow = sampleTile(level: 2, index: 7, width: 5)
        let wide = sampleTile(level: 2, index: 7, width: 9)
        // Bundle 3 grows from one empty entry to two.
        try store.write { try $0.putTile(narrow); try $0.putEntryBundle(index: 3, bytes: [0, 0]) }
        try store.write { try $0.putTile(wide); try $0.putEntryBundle(index: 3, bytes: [0, 0, 0, 0]) }
        try expect(try store.tiles([narrow.id]) == [wide], name, "the newer tile did not replace the older")
        try expect(try store.entryBundle(index: 3) == [0, 0, 0, 0], name, "the newer bundle did not extend the older")
    }

    static func sampleEntries(_ count: Int, bundle: UInt64) -> [[UInt8]] {
        (0..<count).map { Array("bundle \(bundle) entry \($0)".utf8) + Array(repeating: UInt8(truncatingIfNeeded: $0), count: $0 % 7) }
    }

    /// A bundle grows across writes up to 256 entries and stays full; a version with fewer
    /// entries than stored, or malformed bytes, is refused and changes nothing.
    static func entryBundlesGrowAndNeverShrink(_ store: any LogStorage) throws {
        let name = "entryBundlesGrowAndNeverShrink"
        let entries = sampleEntries(256, bundle: 5)
        func bytes(_ count: Int) -> [UInt8] { EntryBundle(entries: Array(entries.prefix(count))).bytes }
        func expectRefused(_ bytes: [UInt8], _ expected: (StorageError) -> Bool, _ what: String) throws {
            do {
                try store.write { try $0.putEntryBundle(index: 5, bytes: bytes) }
                throw Failure(check: name, message: "\(what) was stored")
            } catch let error as StorageError {
                try expect(expected(error), name, "\(what) was refused with \(error)")
            }
        }
        for count in [1, 3, 3, 200] {
            try store.write { try $0.putEntryBundle(index: 5, bytes: bytes(count)) }
            try expect(try store.entryBundle(index: 5) == bytes(count), name, "bundle 5 differs after growing to \(count)")
        }
        try expectRefused(bytes(2), { $0 == .entryBundleShrinks(index: 5, stored: 200, new: 2) }, "a shrunk bundle")
        try expectRefused(bytes(200) + [0, 9, 1], { if case .invalidEntryBundle(index: 5, _) = $0 { true } else { false } },
                          "a truncated entry")
        try expectRefused(bytes(256) + [0, 0], { if case .invalidEntryBundle(index: 5, _) = $0 { true } else { false } },
                          "a bundle of 257 entries")
        try expect(try store.entryBundle(index: 5) == bytes(200), name, "a refused version changed bundle 5")
        try store.write { try $0.putEntryBundle(index: 5, bytes: bytes(256)) }
        try store.write { try $0.putEntryBundle(index: 5, bytes: bytes(256)) }  // a full bundle again: nothing new
        try expect(try store.entryBundle(index: 5) == bytes(256), name, "full bundle 5 differs")
        try expectRefused(bytes(255), { $0 == .entryBundleShrinks(index: 5, stored: 256, new: 255) }, "a shrunk full bundle")
        try expect(try store.entryBundle(index: 6) == nil && store.entryBundle(index: 4) == nil, name, "a neighbour of bundle 5 exists")
    }

    static func thrownBodyWritesNothing(_ store: any LogStorage) throws {
        let name = "thrownBodyWritesNothing"
        struct Boom: Error {}
        do {
            try store.write { tx in
                try tx.putTile(sampleTile(level: 0, index: 0, width: 4))
                try tx.putEntryBundle(index: 0, bytes: [0, 1, 9])
                try tx.putIdentity(RFC6962.leafHash([9]), index: 0)
                try tx.putAttachment([1, 2, 3], index: 0)
                try tx.putTreeState(TreeState(size: 4, root: RFC6962.leafHash([4])))
                try tx.putCheckpoint(checkpoint(4))
                throw Boom()
            }
            throw Failure(check: name, message: "the write did not rethrow")
        } catch is Boom {}
        try expect(try store.tiles([TileID(level: 0, index: 0)]).isEmpty, name, "a tile survived a failed write")
        try expect(try store.entryBundle(index: 0) == nil, name, "a bundle survived a failed write")
        try expect(try store.index(ofIdentity: RFC6962.leafHash([9])) == nil, name, "an identity survived a failed write")
        try expect(try store.attachment(index: 0) == nil, name, "an attachment survived a failed write")
        try expect(try store.treeState() == .empty, name, "the state changed in a failed write")
        try expect(try store.latestCheckpoint() == nil, name, "a checkpoint survived a failed write")
    }

    /// What the server asks beyond `LogStorage` (`ServedLogStorage`); every store it runs on has it.
    static func served(_ store: any LogStorage, _ name: String) throws -> any ServedLogStorage {
        guard let served = store as? any ServedLogStorage else { throw Failure(check: name, message: "the store is not a ServedLogStorage") }
        return served
    }

    static func metadataIsSetOnce(_ store: any LogStorage) throws {
        let name = "metadataIsSetOnce"
        let served = try served(store, name)
        try expect(try served.metadata("tree_id") == nil, name, "a new store has a tree ID")
        try expect(try served.setMetadataIfAbsent("tree_id", value: "42") == "42", name, "the first value is not kept")
        try expect(try served.setMetadataIfAbsent("tree_id", value: "43") == "42", name, "a second value replaced the first")
        try expect(try served.metadata("tree_id") == "42", name, "the kept value does not read back")
        try expect(try served.metadata("hostname") == nil, name, "another key has a value")
    }

    static func singleEntriesAreTheirBundles(_ store: any LogStorage) throws {
        let name = "singleEntriesAreTheirBundles"
        let served = try served(store, name)
        let entries = sampleEntries(256, bundle: 0) + sampleEntries(3, bundle: 1)
        try store.write { tx in
            try tx.putEntryBundle(index: 0, bytes: EntryBundle(entries: Array(entries.prefix(256))).bytes)
            try tx.putEntryBundle(index: 1, bytes: EntryBundle(entries: Array(entries.suffix(3))).bytes)
        }
        for (index, entry) in entries.enumerated() {
            try expect(try served.entry(bundleIndex: UInt64(index / 256), position: index % 256) == entry, name, "entry \(index) differs")
        }
        try expect(try served.entry(bundleIndex: 1, position: 3) == nil, name, "an entry past a partial bundle")
        try expect(try served.entry(bundleIndex: 2, position: 0) == nil, name, "an entry of a missing bundle")
    }

    /// A store that keeps bundles it read (PostgreSQL) must still find entries appended later.
    static func entriesAppendedAfterAReadAreFound(_ store: any LogStorage) throws {
        let name = "entriesAppendedAfterAReadAreFound"
        let served = try served(store, name)
        let entries = sampleEntries(5, bundle: 0)
        try store.write { tx in try tx.putEntryBundle(index: 0, bytes: EntryBundle(entries: Array(entries.prefix(2))).bytes) }
        try expect(try served.entry(bundleIndex: 0, position: 1) == entries[1], name, "entry 1 differs")
        try expect(try served.entry(bundleIndex: 0, position: 2) == nil, name, "entry 2 found before it was written")
        try store.write { tx in try tx.putEntryBundle(index: 0, bytes: EntryBundle(entries: entries).bytes) }
        for position in 0..<5 {
            try expect(try served.entry(bundleIndex: 0, position: position) == entries[position], name,
                       "entry \(position) differs after the bundle grew")
        }
        try expect(try served.entry(bundleIndex: 0, position: 5) == nil, name, "an entry past the grown bundle")
    }

    static func attachmentsAreKeptByIndex(_ store: any LogStorage) throws {
        let name = "attachmentsAreKeptByIndex"
        let large = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        try store.write { tx in
            try tx.putAttachment(Array("statement 0".utf8), index: 0)
            try tx.putAttachment(large, index: 2)
        }
        try store.write { tx in try tx.putAttachment([], index: 5) }
        try expect(try store.attachment(index: 0) == Array("statement 0".utf8), name, "attachment 0 differs")
        try expect(try store.attachment(index: 1) == nil, name, "index 1 has an attachment it was never given")
        try expect(try store.attachment(index: 2) == large, name, "a 100,000-byte attachment came back different")
        try expect(try store.attachment(index: 5) == [], name, "an empty attachment is not kept as empty")
    }

    static func duplicateIdentityFailsTheWholeWrite(_ store: any LogStorage) throws {
        let name = "duplicateIdentityFailsTheWholeWrite"
        let identity = RFC6962.leafHash([7])
        try store.write { try $0.putIdentity(identity, index: 0); try $0.putTreeState(TreeState(size: 1, root: identity)) }
        do {
            try store.write { tx in
                try tx.putTreeState(TreeState(size: 2, root: identity))
                try tx.putIdentity(identity, index: 1)
            }
            throw Failure(check: name, message: "a duplicate identity was accepted")
        } catch StorageError.duplicateIdentity(let found, let index) {
            try expect(found == identity && index == 0, name, "duplicate reported as \(found) at \(index)")
        }
        try expect(try store.treeState().size == 1, name, "a failed write changed the state")
        try expect(try store.index(ofIdentity: identity) == 0, name, "the original identity moved")
    }

    static func identityIfAbsentFindsCommittedAndOwnWrites(_ store: any LogStorage) throws {
        let name = "identityIfAbsentFindsCommittedAndOwnWrites"
        let (a, b, c) = (RFC6962.leafHash([1]), RFC6962.leafHash([2]), RFC6962.leafHash([3]))
        try store.write { tx in try expect(try tx.putIdentityIfAbsent(a, index: 0) == nil, name, "new identity reported present") }
        try store.write { tx in
            try expect(try tx.putIdentityIfAbsent(a, index: 7) == 0, name, "committed identity not found")
            try expect(try tx.putIdentityIfAbsent(b, index: 1) == nil, name, "second identity reported present")
            try expect(try tx.putIdentityIfAbsent(b, index: 2) == 1, name, "identity written earlier in the transaction not found")
        }
        try expect(try store.index(ofIdentity: a) == 0, name, "a found again moved the committed index")
        try expect(try store.index(ofIdentity: b) == 1, name, "identity written with IfAbsent not committed")
        do {
            try store.write { tx in
                _ = try tx.putIdentityIfAbsent(c, index: 2)
                throw Failure(check: name, message: "abort")
            }
        } catch is Failure {}
        try expect(try store.index(ofIdentity: c) == nil, name, "identity of an aborted write is visible")
    }

    /// The batch form: committed identities, ones recorded earlier in the same transaction and
    /// repeats within the list answer with their index; only the others take indices, counted
    /// from `firstIndex` in list order; an aborted batch leaves none behind.
    static func identitiesIfAbsentNumberOnlyTheNewOnes(_ store: any LogStorage) throws {
        let name = "identitiesIfAbsentNumberOnlyTheNewOnes"
        let (a, b, c, d, e, f) = (RFC6962.leafHash([1]), RFC6962.leafHash([2]), RFC6962.leafHash([3]),
                                  RFC6962.leafHash([4]), RFC6962.leafHash([5]), RFC6962.leafHash([6]))
        try store.write { tx in
            try expect(try tx.putIdentitiesIfAbsent([a, b], firstIndex: 0) == [nil, nil], name, "new identities reported present")
        }
        try store.write { tx in
            try expect(try tx.putIdentityIfAbsent(c, index: 2) == nil, name, "new identity reported present")
            let found = try tx.putIdentitiesIfAbsent([d, a, e, d, c, f], firstIndex: 3)
            try expect(found == [nil, 0, nil, 3, 2, nil], name, "batch answered \(found), not [nil, 0, nil, 3, 2, nil]")
        }
        for (identity, index) in [(a, 0), (b, 1), (c, 2), (d, 3), (e, 4), (f, 5)] as [(Hash, UInt64)] {
            let stored = try store.index(ofIdentity: identity)
            try expect(stored == index, name, "identity \(identity) committed at \(stored.map(String.init) ?? "nil"), not \(index)")
        }
        let g = RFC6962.leafHash([7])
        do {
            try store.write { tx in
                _ = try tx.putIdentitiesIfAbsent([g, a], firstIndex: 6)
                throw Failure(check: name, message: "abort")
            }
        } catch is Failure {}
        try expect(try store.index(ofIdentity: g) == nil, name, "identity of an aborted batch is visible")
    }

    static func checkpointsNeverGoBackwards(_ store: any LogStorage) throws {
        let name = "checkpointsNeverGoBackwards"
        try store.write { try $0.putCheckpoint(checkpoint(10)) }
        try store.write { try $0.putCheckpoint(checkpoint(10)) }  // same size again (an idle re-sign) is allowed
        do {
            try store.write { try $0.putCheckpoint(checkpoint(9)) }
            throw Failure(check: name, message: "a smaller checkpoint was stored")
        } catch StorageError.checkpointGoesBackwards(let stored, let new) {
            try expect(stored == 10 && new == 9, name, "reported \(stored) → \(new)")
        }
        try store.write { try $0.putCheckpoint(checkpoint(11)) }
        try expect(try store.latestCheckpoint()?.size == 11, name, "latest is not the largest")
        try expect(try store.checkpoint(size: 10) == checkpoint(10), name, "history lost size 10")
        // The covering checkpoint is the smallest signed size above the index.
        try expect(try store.checkpoint(covering: 0)?.size == 10, name, "index 0 not covered by size 10")
        try expect(try store.checkpoint(covering: 9)?.size == 10, name, "index 9 not covered by size 10")
        try expect(try store.checkpoint(covering: 10)?.size == 11, name, "index 10 not covered by size 11")
        try expect(try store.checkpoint(covering: 11) == nil, name, "index 11 covered by a checkpoint of size 11")
    }

    static func searchKeysCollectIndices(_ store: any LogStorage) throws {
        let name = "searchKeysCollectIndices"
        let key: [UInt8] = Array("sha256:abc".utf8)
        try store.write { tx in
            try tx.putSearchKey(key, index: 5)
            try tx.putSearchKey(key, index: 2)
            try tx.putSearchKey([1], index: 3)
        }
        try store.write { try $0.putSearchKey(key, index: 9) }
        // Recording a pair again (in a later batch, or twice in one) changes nothing, and the
        // rest of that batch still lands.
        try store.write { tx in
            try tx.putSearchKey(key, index: 5)
            try tx.putSearchKey([3], index: 9)
            try tx.putSearchKey([3], index: 9)
        }
        try expect(try store.indices(forKey: key, limit: 10) == [2, 5, 9], name, "got \(try store.indices(forKey: key, limit: 10))")
        try expect(try store.indices(forKey: [3], limit: 10) == [9], name, "got \(try store.indices(forKey: [3], limit: 10)) for a key recorded twice")
        try expect(try store.indices(forKey: key, limit: 2) == [2, 5], name, "limit not applied")
        try expect(try store.indices(forKey: [2], limit: 10).isEmpty, name, "unknown key found")
    }

    static func missingThingsAreNil(_ store: any LogStorage) throws {
        let name = "missingThingsAreNil"
        try expect(try store.tiles([TileID(level: 3, index: 3)]).isEmpty, name, "missing tile returned")
        try expect(try store.entryBundle(index: 42) == nil, name, "missing bundle returned")
        try expect(try store.index(ofIdentity: RFC6962.emptyRoot) == nil, name, "missing identity returned")
        try expect(try store.checkpoint(size: 77) == nil, name, "missing checkpoint returned")
    }
}
