import CSQLite
import Foundation
import Dispatch
import Synchronization
import VellumSync
import VellumStorage

/// WAL checkpoints, off the writer's path.
///
/// SQLite's own automatic checkpoint runs inside the COMMIT that crosses the threshold, on the
/// writer: it copies the whole WAL into the database and fsyncs both files while the next batch
/// waits (measured: commits of a ~100-entry batch up to ~30 ms). Instead, a WAL hook on the
/// writer notices the WAL has passed `walAutocheckpointBytes` and wakes a checkpointer thread
/// (a `BackgroundThread`, below the writer's CPU priority) with a connection of its own, which
/// 1. checkpoints PASSIVE while batches keep committing: it copies every frame up to the
///    latest commit it sees, then fsyncs the database itself, the bulk of the work (SQLite
///    fsyncs the database only when a checkpoint copies the whole WAL, which step 1 rarely
///    does, as batches keep committing; left to step 2, that fsync flushed all of step 1's
///    ~16 MiB while holding up the writer for 6–40 ms);
/// 2. then leaves the rest to the writer: before its next transaction, the writer checkpoints
///    PASSIVE on its own connection (`finishCheckpoint`). Only the frames committed since step
///    1 are left, so this one is short and completes, and that transaction starts the WAL over
///    from its beginning instead of growing it. (Step 2 used to run on the checkpointer,
///    holding the writer's lock: at the checkpointer's low priority the other threads kept
///    preempting it, and the writer waited 1–54 ms, median ~7, for 2–4 ms of work, about five
///    times a second at half the append bench's peak.)
///
/// What a crash leaves behind is SQLite's to handle, as with its own checkpoints: a checkpoint
/// syncs the WAL before copying (synchronous=NORMAL on both connections) and the database
/// before it records the frames as copied, and the WAL only starts over after that; a crash in
/// between leaves the WAL to be replayed at the next open.
///
/// If the checkpointer cannot keep up (or fails, e.g. a full disk), the WAL keeps growing until
/// `walBackstopFactor` times the threshold; from there the writer checkpoints itself, as SQLite
/// would, so the WAL stays bounded.
extension SQLiteLogStorage {
    /// The WAL size, as a multiple of the threshold, past which the writer checkpoints itself.
    static let walBackstopFactor = 16
    /// Step 1 runs again while more frames than this are left to copy, at most `catchUpRounds`
    /// times, so that step 2, which holds up the writer, has little to do. (256 and 4 rounds
    /// left 33–751 frames, median ~250, to copy under the writer lock at half the append
    /// bench's peak, held 1–11 ms; 64 and 8 leave 25–500, median ~190. Half-rate p99 over eight
    /// 1M runs 17.7–58.2 ms, median 27.5, vs five before 18.3–44.8, median 33.1: suggestive.
    /// Those were 4 KiB frames; the 16 KiB pages of `SQLiteConfiguration.pageSizeBytes` were
    /// measured with the same 64, four times the bytes.)
    static let finalStepFrames = 64
    static let catchUpRounds = 8

    /// Installs the WAL hook on the writer connection (replacing SQLite's automatic checkpoint).
    func installCheckpointHook() throws {
        try writer.withLock { db in
            guard let handle = db.handle else { throw StorageError.backend("writer connection is closed") }
            // The context is unretained: the hook runs only inside the writer's commits, and
            // the writer connection lives and dies with this store.
            sqlite3_wal_hook(handle, { context, handle, _, frames in
                guard let context else { return SQLITE_OK }
                let storage = Unmanaged<SQLiteLogStorage>.fromOpaque(context).takeUnretainedValue()
                storage.walGrew(to: Int(frames), writer: handle)
                // Never an error: the commit has happened, and an error here would report it
                // as failed.
                return SQLITE_OK
            }, Unmanaged.passUnretained(self).toOpaque())
        }
    }

    /// Called on the writer thread after each commit with the WAL's frame count.
    private func walGrew(to frames: Int, writer handle: OpaquePointer?) {
        checkpoints.walFrames.store(frames, ordering: .relaxed)
        let threshold = checkpoints.thresholdFrames
        guard threshold > 0, frames >= threshold else { return }
        if frames >= threshold * Self.walBackstopFactor {
            // The checkpointer is behind or failing: do what SQLite's own hook would.
            sqlite3_wal_checkpoint_v2(handle, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
            return
        }
        // Stays set until the writer has run step 2 (`finishCheckpoint`).
        guard checkpoints.scheduled.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
        checkpoints.queue.async { [weak self] in
            guard let self else { return }
            if copyWAL() {
                checkpoints.finalStepDue.store(true, ordering: .releasing)
            } else {
                checkpoints.scheduled.store(false, ordering: .releasing)
            }
        }
    }

    /// Step 1 above, on the checkpointer thread; false if not even its first round could run.
    /// A checkpoint that cannot finish (SQLITE_BUSY: a reader still needs old frames) is simply
    /// tried again after a later commit. Errors are left to the backstop and to the writes and
    /// syncs, which report them.
    private func copyWAL() -> Bool {
        checkpoints.connection.withLock { connection in
            guard let handle = connection.handle else { return false }
            // Repeated while the batches committed meanwhile left many frames behind (a round
            // that copies 16 MiB takes long enough for several batches to commit).
            for round in 0..<Self.catchUpRounds {
                var copied: Int32 = 0
                guard sqlite3_wal_checkpoint_v2(handle, nil, SQLITE_CHECKPOINT_PASSIVE, nil, &copied) == SQLITE_OK else { return round > 0 }
                // A failure here is not reported: step 2's own fsync of the database fails too.
                _ = fdatasync(checkpoints.databaseDescriptor)
                // Compared with the WAL as of the writer's latest commit, not as this round found it.
                if checkpoints.walFrames.load(ordering: .relaxed) - Int(copied) <= Self.finalStepFrames { break }
            }
            return true
        }
    }

    /// Step 2 above, on the writer thread with the writer's lock held and no transaction open,
    /// once step 1 has run: copies what is left of the WAL and fsyncs the database (SQLite
    /// does, as the checkpoint then covers every frame), so the next transaction starts the
    /// WAL over. A crash in between is as in any SQLite checkpoint (see above).
    func finishCheckpoint(_ db: SQLiteConnection) {
        guard checkpoints.finalStepDue.load(ordering: .acquiring) else { return }
        if let handle = db.handle { _ = sqlite3_wal_checkpoint_v2(handle, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil) }
        checkpoints.finalStepDue.store(false, ordering: .relaxed)
        checkpoints.runs.add(1, ordering: .relaxed)
        checkpoints.scheduled.store(false, ordering: .releasing)
    }

    /// How many times the checkpointer has run since open; each run fsyncs the WAL and the
    /// database in each of its two steps that had frames to copy.
    public var checkpointCount: Int { checkpoints.runs.load(ordering: .relaxed) }

    /// Waits until step 1 of every scheduled checkpoint has run (for tests); step 2 waits for
    /// the next write.
    func waitForCheckpoints() {
        checkpoints.queue.sync()
    }
}

/// The checkpointer's connection and thread.
final class WALCheckpointer: Sendable {
    let connection: Locked<SQLiteConnection>
    /// Below the writer's priority (see `BackgroundThread`).
    let queue = BackgroundThread()
    /// A checkpoint is under way: from the WAL hook that starts step 1 to the end of step 2.
    let scheduled = Atomic<Bool>(false)
    /// Step 1 is done: the writer runs step 2 before its next transaction.
    let finalStepDue = Atomic<Bool>(false)
    let runs = Atomic<Int>(0)
    /// The WAL's frame count after the writer's latest commit.
    let walFrames = Atomic<Int>(0)
    /// `walAutocheckpointBytes` in frames of this file's page size.
    let thresholdFrames: Int
    /// The database file, opened by us only to fsync it after step 1.
    let databaseDescriptor: Int32

    /// A read-write connection to the (existing) database at `path`.
    init(path: String, configuration: SQLiteConfiguration) throws {
        databaseDescriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard databaseDescriptor >= 0 else {
            throw StorageError.backend("cannot open the database \(path) to sync it: \(String(cString: strerror(errno)))")
        }
        let connection = try SQLiteConnection(path: path, mode: .readWrite)
        try connection.setBusyTimeout(milliseconds: configuration.busyTimeoutMilliseconds)
        thresholdFrames = configuration.walAutocheckpointPages(pageSize: try connection.pageSize())
        // NORMAL: a checkpoint fsyncs the WAL before copying and the database after.
        try connection.execute("PRAGMA synchronous = NORMAL")
        self.connection = Locked(connection)
    }

    deinit { close(databaseDescriptor) }
}
