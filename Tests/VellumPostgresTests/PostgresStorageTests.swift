import Foundation
import Testing
import VellumMerkle
import VellumStorage
import VellumSync
import VellumTesting
@testable import VellumPostgres

/// The PostgreSQL store on a real server (scripts/postgres, or VELLUM_TEST_POSTGRES): the
/// storage contract every store keeps, first start by several nodes at once, and fencing.
@Suite struct PostgresStorageTests {
    /// A store on a new database, holding the lease (writes need it).
    static func store(_ label: String, lease: Duration = .seconds(3)) throws -> (PostgresLogStorage, String) {
        let url = try TestPostgres.freshDatabase(label)
        let store = try PostgresLogStorage.open(location: try PostgresLocation(parsing: url), readers: 2, leaseDuration: lease)
        return (store, url)
    }

    @Test(arguments: StorageConformance.checks.map(\.name))
    func passesTheStorageConformanceSuite(check: String) throws {
        let run = try #require(StorageConformance.checks.first { $0.name == check }?.run)
        let (store, _) = try Self.store(check)
        defer { store.close() }
        #expect(try store.lease.acquire(address: "http://test"))
        try run(store)
    }

    @Test func writesNeedTheLease() throws {
        let (store, _) = try Self.store("nolease")
        defer { store.close() }
        #expect(throws: StorageError.self) { try store.write { try $0.putTreeState(TreeState(size: 1, root: RFC6962.leafHash([1]))) } }
        #expect(try store.treeState() == .empty)
    }

    @Test func theSchemaIsAppliedOnceAndANewerOneRefused() throws {
        let (store, url) = try Self.store("schema")
        store.close()
        #expect(try TestPostgres.psql(url, "SELECT version FROM vellum_schema") == "\(PostgresSchema.latestVersion)")
        // Opening again applies nothing and keeps the data.
        let again = try PostgresLogStorage.open(location: try PostgresLocation(parsing: url), readers: 1)
        again.close()
        _ = try TestPostgres.psql(url, "UPDATE vellum_schema SET version = version + 1")
        #expect {
            _ = try PostgresLogStorage.open(location: try PostgresLocation(parsing: url), readers: 1)
        } throws: { error in
            "\(error)".contains("newer") || "\(error)".contains("only up to")
        }
    }

    /// Nodes started at the same moment on an empty database: one migrates, the others wait on
    /// the schema row and find the work done; metadata set once agrees everywhere.
    @Test func nodesStartingTogetherAgree() throws {
        let url = try TestPostgres.freshDatabase("together")
        let location = try PostgresLocation(parsing: url)
        let results = Locked<[Result<String, any Error>]>([])
        let threads = (0..<6).map { node in
            Thread {
                let outcome = Result<String, any Error> {
                    let store = try PostgresLogStorage.open(location: location, readers: 1)
                    defer { store.close() }
                    return try store.setMetadataIfAbsent("tree_id", value: "\(1000 + node)")
                }
                results.withLock { $0.append(outcome) }
            }
        }
        threads.forEach { $0.start() }
        while results.withLock({ $0.count }) < threads.count { Thread.sleep(forTimeInterval: 0.01) }
        let values = try results.withLock { try $0.map { try $0.get() } }
        #expect(Set(values).count == 1)
        #expect(try TestPostgres.psql(url, "SELECT version FROM vellum_schema") == "\(PostgresSchema.latestVersion)")
    }

    /// A node whose lease expired and was taken over commits nothing more, though its
    /// connection is fine; the new holder's token is larger and its writes land.
    @Test func aDeposedNodeCannotWrite() throws {
        let url = try TestPostgres.freshDatabase("fence")
        let location = try PostgresLocation(parsing: url)
        let first = try PostgresLogStorage.open(location: location, readers: 1, leaseDuration: .seconds(30), node: "first")
        let second = try PostgresLogStorage.open(location: location, readers: 1, leaseDuration: .seconds(30), node: "second")
        defer { first.close(); second.close() }
        #expect(try first.lease.acquire(address: "http://first"))
        #expect(try second.lease.acquire(address: "http://second") == false)
        let root = RFC6962.leafHash([1])
        try first.write { try $0.putTreeState(TreeState(size: 1, root: root)) }
        let before = try first.lease.holder()
        #expect(before.node == "first" && before.address == "http://first" && before.live)

        // The first node pauses past its lease (simulated by expiring the row); the second takes over.
        _ = try TestPostgres.psql(url, "UPDATE sequencer_lease SET expires_at = now() - interval '1 second'")
        #expect(try second.lease.acquire(address: "http://second"))
        let after = try second.lease.holder()
        #expect(after.node == "second" && after.token == before.token + 1)

        // The first still thinks it holds the lease (its local clock says so), but the fence stops it.
        #expect(first.lease.holds)
        #expect {
            try first.write { try $0.putTreeState(TreeState(size: 2, root: RFC6962.leafHash([2]))) }
        } throws: { error in
            if case .fenced = error as? StorageError { return true }
            return false
        }
        #expect(!first.lease.holds)
        #expect(try second.treeState() == TreeState(size: 1, root: root))
        try second.write { try $0.putTreeState(TreeState(size: 3, root: root)) }
        #expect(try first.treeState().size == 3)
    }

    /// A holder paused in the middle of a batch holds the lease row's lock; the server ends its
    /// idle transaction, so another node still takes over soon after the lease expires, and the
    /// paused batch never commits.
    @Test func aWriterPausedInsideABatchDoesNotBlockTakeover() throws {
        let url = try TestPostgres.freshDatabase("paused")
        let location = try PostgresLocation(parsing: url)
        let paused = try PostgresLogStorage.open(location: location, readers: 1, leaseDuration: .seconds(1), node: "paused")
        let other = try PostgresLogStorage.open(location: location, readers: 1, leaseDuration: .seconds(1), node: "other")
        defer { paused.close(); other.close() }
        #expect(try paused.lease.acquire(address: ""))
        let outcome = Locked<Result<Void, any Error>?>(nil)
        let thread = Thread {
            let result = Result<Void, any Error> {
                try paused.write { tx in
                    try tx.putTreeState(TreeState(size: 9, root: RFC6962.leafHash([9])))
                    Thread.sleep(forTimeInterval: 2.5)  // longer than the lease and the idle limit
                }
            }
            outcome.withLock { $0 = result }
        }
        thread.start()
        Thread.sleep(forTimeInterval: 0.2)
        let start = ContinuousClock.now
        var tookOver = false
        while !tookOver && ContinuousClock.now - start < .seconds(5) {
            tookOver = try other.lease.acquire(address: "")
            if !tookOver { Thread.sleep(forTimeInterval: 0.1) }
        }
        #expect(tookOver)
        #expect(ContinuousClock.now - start < .seconds(3))
        while outcome.withLock({ $0 == nil }) { Thread.sleep(forTimeInterval: 0.05) }
        #expect(throws: (any Error).self) { try outcome.withLock { $0! }.get() }
        #expect(try other.treeState() == .empty)
    }
}

@Suite struct PostgresLocationTests {
    @Test func urlPartsWinOverTheEnvironment() throws {
        let environment = ["PGHOST": "db", "PGPORT": "6543", "PGUSER": "env", "PGDATABASE": "envdb", "PGPASSWORD": "envpw"]
        let full = try PostgresLocation(parsing: "postgres://alice:s3cret@pg.example:5433/logs?sslmode=require", environment: environment)
        #expect(full == PostgresLocation(host: "pg.example", port: 5433, user: "alice", password: "s3cret", database: "logs", tls: .require))
        #expect(!full.description.contains("s3cret"))
        let bare = try PostgresLocation(parsing: "postgres://", environment: environment)
        #expect(bare == PostgresLocation(host: "db", port: 6543, user: "env", password: "envpw", database: "envdb", tls: .prefer))
        let defaults = try PostgresLocation(parsing: "postgresql://", environment: ["USER": "carol"])
        #expect(defaults == PostgresLocation(host: "localhost", port: 5432, user: "carol", database: "carol", tls: .prefer))
        #expect(try PostgresLocation(parsing: "postgres://u@h/d?sslmode=disable", environment: [:]).tls == .disable)
    }

    @Test(arguments: ["sqlite:/tmp/x", "postgres://u@h/d?sslmode=sometimes", "postgres://u@h/d?pool=3", "postgres://h:notaport/d"])
    func badLocationsAreRefused(text: String) {
        #expect(throws: (any Error).self) { try PostgresLocation(parsing: text, environment: [:]) }
    }

    @Test func migrationScriptsSplitIntoStatements() {
        let script = """
            -- a comment; with a semicolon
            CREATE TABLE a (x text DEFAULT 'semi;colon');
            INSERT INTO a VALUES ('it''s; fine'); -- trailing; comment
            CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;
            """
        #expect(PostgresSchema.statements(in: script) == [
            "CREATE TABLE a (x text DEFAULT 'semi;colon')",
            "INSERT INTO a VALUES ('it''s; fine')",
            "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql",
        ])
    }

    /// The embedded copy equals migrations/postgres/*.sql (scripts/embed-migrations refreshes it).
    @Test func embeddedMigrationsMatchTheFiles() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("migrations/postgres")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".sql") }.sorted()
        #expect(files.count == PostgresSchema.embeddedSources.count)
        for (file, embedded) in zip(files, PostgresSchema.embeddedSources) {
            #expect(file == String(format: "%04d_%@.sql", embedded.version, embedded.name))
            #expect(try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8) == embedded.sql + "\n"
                    || String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8) == embedded.sql)
        }
    }
}

@Suite struct RecentBundlesTests {
    @Test func aKeptVersionAnswersOnlyForItsEntries() {
        let recent = RecentBundles(capacityBytes: 100)
        recent.keep([1, 2, 3], entries: 3, as: 7)
        #expect(recent.bundle(7, holding: 2) == [1, 2, 3])
        #expect(recent.bundle(7, holding: 3) == nil)
        #expect(recent.bundle(8, holding: 0) == nil)
        recent.keep([1], entries: 1, as: 7)  // an older version does not replace a newer one
        #expect(recent.bundle(7, holding: 2) == [1, 2, 3])
        recent.keep([1, 2, 3, 4], entries: 4, as: 7)
        #expect(recent.bundle(7, holding: 3) == [1, 2, 3, 4])
    }

    @Test func itStartsOverPastItsCapacity() {
        let recent = RecentBundles(capacityBytes: 10)
        recent.keep(Array(repeating: 0, count: 6), entries: 1, as: 1)
        recent.keep(Array(repeating: 0, count: 6), entries: 1, as: 2)
        #expect(recent.bundle(1, holding: 0) == nil)
        #expect(recent.bundle(2, holding: 0) != nil)
    }
}
