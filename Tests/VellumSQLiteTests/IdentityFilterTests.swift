import Testing
import VellumMerkle
import VellumStorage
import VellumTesting
@testable import VellumSQLite

/// The Bloom filter in front of the `identities` b-tree: never a false "absent", and useful.
@Suite struct IdentityFilterTests {
    static func identity(_ i: Int) -> Hash { RFC6962.leafHash(Array("filter \(i)".utf8)) }

    @Test func neverSaysAbsentForAnAddedIdentityAndUsuallyDoesForOthers() {
        let filter = IdentityFilter(bytes: 64 << 10)
        filter.add((0..<5000).map(Self.identity))
        // Not ready: it answers nothing, even for identities it has never seen.
        #expect(!filter.certainlyAbsent(Self.identity(99_999)))
        filter.markReady()
        for i in 0..<5000 { #expect(!filter.certainlyAbsent(Self.identity(i)), "identity \(i)") }
        // 512 Ki bits for 5000 identities at three bits each: about 0.002% false positives.
        let absent = (5000..<15_000).filter { filter.certainlyAbsent(Self.identity($0)) }.count
        #expect(absent >= 9_900)
    }

    /// Identities merged into the b-tree before the store opened are found by the scan, those
    /// merged after by the writer: a reopened store still recognises every duplicate.
    @Test(arguments: [false, true])
    func duplicatesAreFoundAfterReopeningWithTheFilterReady(waitForScan: Bool) throws {
        try withDatabasePath { path in
            var configuration = SQLiteConfiguration()
            configuration.identityTailEntries = 4
            configuration.identityFilterBytes = 64 << 10
            let count = 600
            do {
                let store = try SQLiteLogStorage(path: path, readers: 1, configuration: configuration)
                for batch in stride(from: 0, to: count / 2, by: 10) {
                    try store.write { tx in
                        for i in batch..<batch + 10 { _ = try tx.putIdentityIfAbsent(Self.identity(i), index: UInt64(i)) }
                    }
                }
            }
            let store = try SQLiteLogStorage(path: path, readers: 1, configuration: configuration)
            if waitForScan {
                store.waitForIdentityFilter()
                #expect(store.identityFilter?.isReady == true)
            }
            // More merges after the reopen, then every identity once more: all are duplicates.
            for batch in stride(from: count / 2, to: count, by: 10) {
                try store.write { tx in
                    for i in batch..<batch + 10 { _ = try tx.putIdentityIfAbsent(Self.identity(i), index: UInt64(i)) }
                }
            }
            store.waitForIdentityFilter()
            try store.write { tx in
                for i in 0..<count {
                    let existing = try tx.putIdentityIfAbsent(Self.identity(i), index: 999_999)
                    #expect(existing == UInt64(i), "identity \(i)")
                }
                let fresh = try tx.putIdentityIfAbsent(Self.identity(count), index: UInt64(count))
                #expect(fresh == nil)
            }
        }
    }
}
