import CSQLite

/// The pragmas the log's connections run with. The defaults suit a log of up to a few hundred
/// million entries on one machine; change them only with a measurement in hand.
public struct SQLiteConfiguration: Sendable {
    /// How long a statement waits for another connection's lock before `SQLITE_BUSY`.
    public var busyTimeoutMilliseconds: Int = 5_000

    /// Page cache of the writer, in KiB (`cache_size = -N`). The writer rewrites the right
    /// edge of the tree each batch; a modest cache keeps those pages hot.
    public var writerCacheSizeKiB: Int = 32 * 1024

    /// Page cache of each reader, in KiB. Readers also map the file (below), so this cache
    /// mostly holds interior b-tree pages.
    public var readerCacheSizeKiB: Int = 16 * 1024

    /// Bytes of the database file each reader maps into memory (`mmap_size`). Mapped reads skip
    /// a copy through the page cache; the mapping is shared by all readers via the OS page
    /// cache, so this costs address space, not memory. `0` turns mapping off.
    public var readerMmapSizeBytes: Int64 = 1 << 30

    /// Page size of a database file the writer creates (`page_size`: a power of two from 512
    /// to 65536). A file keeps the size it was created with: this does not change existing
    /// ones (that would take a VACUUM outside WAL mode). Every page a commit changes is one
    /// WAL frame, written by two system calls (its header, then the page), and copied once
    /// more by a checkpoint; a 1 KiB entry fills a quarter of a 4 KiB page, and a 256-entry
    /// bundle spans 64 pages. With 16 KiB the append bench wrote 1M entries at 122.9–129.0 k/s
    /// against 101.8–103.1 k with 4 KiB (CPU 12.7–13.5 vs 16.0–16.7 µs per entry); 8 KiB gave
    /// 114.5–118.0 k; 32 and 64 KiB no more than 16 but more bytes per small batch
    /// (`docs/PERFORMANCE.md`). The price is paid at low rates: a commit rewrites about eight
    /// pages whatever its size (the right edge of several tables), so at 3,000 entries/s
    /// (batches of ~6) 16 KiB pages wrote 27.0 KB per 1 KiB entry against 11.5 KB with 4 KiB.
    public var pageSizeBytes: Int = 16 * 1024

    /// WAL size, in bytes, after which the WAL is checkpointed back into the database: by
    /// `SQLiteLogStorage`'s checkpointer thread, off the writer's path (`+Checkpoints`), or
    /// by SQLite's automatic checkpoint (`wal_autocheckpoint`, in pages of the file's size:
    /// see `walAutocheckpointPages(pageSize:)`) on a bare writer connection. SQLite's default
    /// is 1000 pages (about 4 MiB at 4 KiB pages); 16 MiB means a quarter as many
    /// checkpoints, and each one's short final step holds up the writer for two fsyncs
    /// (measured: half-rate p99 of the append bench 21–82 ms vs 58–84 ms, 4 runs each). A
    /// checkpoint can only copy pages no reader still needs, which is why readers end their
    /// transactions promptly (statements are reset when they go back into the cache).
    public var walAutocheckpointBytes: Int = 16 << 20

    /// Size the WAL file is truncated to after a checkpoint (`journal_size_limit`), so one
    /// large batch does not leave a large file behind.
    public var journalSizeLimitBytes: Int64 = 64 << 20

    /// Identities per generation of the identity tail (`migrations/0002_identity_tail.sql`).
    /// Recording an identity appends to the tail; a sealed generation becomes a sorted run of
    /// blocks, and runs of about this many rows × 4^level are merged four at a time
    /// (`migrations/0007_index_runs.sql`), so each identity is copied ~log4(identities / this)
    /// times. The writer keeps up to two generations in memory, roughly 100 bytes per identity
    /// (about 13 MiB at the default).
    public var identityTailEntries: Int = 65_536

    /// Search-index rows per generation of the search tail (`migrations/0003_search_tail.sql`),
    /// which works like the identity tail. A hashedrekord entry has two or three search keys,
    /// each kept as its SHA-256; without dictionaries (see `MergeTail.hashed`) the memory is
    /// about 40 bytes a row, ~5 MiB for two generations at the default.
    public var searchTailEntries: Int = 65_536

    /// Bytes of the Bloom filter that lets the writer skip the lookup of new identities in the
    /// runs (`IdentityFilter`); `0` turns it off. Fixed, whatever the log's size: at three bits
    /// per identity, 16 MiB keeps false positives under 1% up to about 10M entries and then
    /// degrades gently (a false positive costs one lookup in each live run).
    public var identityFilterBytes: Int = 16 << 20

    public init() {}

    /// The defaults described on each property.
    public static let `default` = SQLiteConfiguration()

    /// Whether `size` is a page size SQLite accepts: a power of two from 512 to 65536 (SQLite
    /// silently ignores any other, so `openWriter` refuses it instead).
    public static func isValidPageSize(_ size: Int) -> Bool {
        (512...65536).contains(size) && size & (size - 1) == 0
    }

    /// `walAutocheckpointBytes` in frames of a file with `pageSize`-byte pages: at least 1,
    /// or 0 (no checkpoints) when `walAutocheckpointBytes` is 0.
    public func walAutocheckpointPages(pageSize: Int) -> Int {
        walAutocheckpointBytes <= 0 ? 0 : max(1, walAutocheckpointBytes / max(1, pageSize))
    }
}

extension SQLiteConnection {
    /// Opens the log's single writer connection, creating the file if needed, configures it,
    /// and applies `migrations` that the database does not have yet.
    ///
    /// Pragmas, and why:
    /// - `journal_mode=WAL`: readers read a snapshot while the writer appends, and neither
    ///   blocks the other. Persistent in the file, so readers inherit it.
    /// - `synchronous=FULL`: **a commit is fsynced before `COMMIT` returns.** In WAL mode,
    ///   `NORMAL` fsyncs the WAL only at checkpoints, so a power loss or OS crash can roll back
    ///   the last few commits even though each returned success. The sequencer acknowledges
    ///   entries and publishes a signed checkpoint only after the commit returns; losing that
    ///   commit would lose acknowledged entries and could lead the log to sign a *different*
    ///   tree of the same size, a fork that monitors would (rightly) treat as misbehaviour.
    ///   One fsync per batch is the price, paid once for all entries in the batch.
    /// - `foreign_keys=ON`: enforce any references the schema declares.
    /// - `page_size` (new files only), `cache_size`, `wal_autocheckpoint`, `journal_size_limit`:
    ///   see ``SQLiteConfiguration``.
    ///
    /// The writer serves no reads for the API: readers use ``SQLiteReadPool``.
    public static func openWriter(
        path: String,
        configuration: SQLiteConfiguration = .default,
        migrations: Migrations = .embedded
    ) throws -> SQLiteConnection {
        guard SQLiteConfiguration.isValidPageSize(configuration.pageSizeBytes) else {
            throw SQLiteError(
                resultCode: SQLITE_MISUSE,
                message: "page size \(configuration.pageSizeBytes) is not a power of two from 512 to 65536",
                path: path)
        }
        let connection = try SQLiteConnection(path: path, mode: .readWriteCreate)
        try connection.setBusyTimeout(milliseconds: configuration.busyTimeoutMilliseconds)
        // Before anything writes the file: once it has a page, its page size is fixed.
        try connection.execute("PRAGMA page_size = \(configuration.pageSizeBytes)")
        let journalMode = try connection.pragma("journal_mode = WAL")
        guard journalMode?.lowercased() == "wal" else {
            throw SQLiteError(
                resultCode: SQLITE_ERROR,
                message: "could not switch the database to WAL mode (journal_mode is "
                    + "\(journalMode ?? "unknown")); Vellum needs a file on a local file system",
                path: path)
        }
        let walPages = configuration.walAutocheckpointPages(pageSize: try connection.pageSize())
        try connection.execute(
            """
            PRAGMA synchronous = FULL;
            PRAGMA foreign_keys = ON;
            PRAGMA cache_size = -\(configuration.writerCacheSizeKiB);
            PRAGMA wal_autocheckpoint = \(walPages);
            PRAGMA journal_size_limit = \(configuration.journalSizeLimitBytes);
            """)
        try migrations.apply(to: connection)
        return connection
    }

    /// Opens a read-only connection for serving reads, configured for them.
    ///
    /// The writer must have opened the database first: it creates the file, turns on WAL mode
    /// and applies migrations. A reader refuses a database that is not in WAL mode or whose
    /// schema version differs from the latest of `migrations` (see
    /// ``Migrations/checkCurrent(_:)``).
    ///
    /// Pragmas: `query_only` (a second guard besides the read-only open), `foreign_keys`,
    /// `cache_size` and `mmap_size` from `configuration`.
    public static func openReader(
        path: String,
        configuration: SQLiteConfiguration = .default,
        migrations: Migrations = .embedded
    ) throws -> SQLiteConnection {
        let connection = try SQLiteConnection(path: path, mode: .readOnly)
        try connection.setBusyTimeout(milliseconds: configuration.busyTimeoutMilliseconds)
        try connection.execute(
            """
            PRAGMA query_only = ON;
            PRAGMA foreign_keys = ON;
            PRAGMA cache_size = -\(configuration.readerCacheSizeKiB);
            PRAGMA mmap_size = \(configuration.readerMmapSizeBytes);
            """)
        let journalMode = try connection.pragma("journal_mode")
        guard journalMode?.lowercased() == "wal" else {
            throw SQLiteError(
                resultCode: SQLITE_ERROR,
                message: "the database is not in WAL mode (journal_mode is "
                    + "\(journalMode ?? "unknown")); open the writer first, it sets WAL mode "
                    + "and applies migrations",
                path: path)
        }
        try migrations.checkCurrent(connection)
        return connection
    }
}
