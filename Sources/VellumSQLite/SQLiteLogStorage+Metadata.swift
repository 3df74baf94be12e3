import VellumStorage

/// Small named facts about the log (table `log_metadata`), such as the Rekor tree ID, which is
/// chosen once and must never change afterwards: entry IDs and the checkpoint origin carry it.
extension SQLiteLogStorage {
    /// The value stored under `key`, or nil.
    public func metadata(_ key: String) throws -> String? {
        try read { db in
            try db.withStatement("SELECT value FROM log_metadata WHERE key = ?1") { statement in
                try statement.bind(key, at: 1)
                return try statement.step() ? statement.text(at: 0) : nil
            }
        }
    }

    /// Stores `value` under `key` unless a value is already there, durably, and returns the
    /// value that is stored afterwards (the old one wins, so a fact set once stays set).
    public func setMetadataIfAbsent(_ key: String, value: String) throws -> String {
        try writer.withLock { db in
            do {
                try db.transaction(.immediate) {
                    try db.withStatement("INSERT OR IGNORE INTO log_metadata (key, value) VALUES (?1, ?2)") { statement in
                        try statement.bind(key, at: 1)
                        try statement.bind(value, at: 2)
                        try statement.run()
                    }
                }
            } catch let error as SQLiteError {
                throw StorageError.backend(error.description)
            }
        }
        try sync()
        guard let stored = try metadata(key) else { throw StorageError.corrupt("metadata \(key) vanished after it was written") }
        return stored
    }
}
extension SQLiteLogStorage: ServedLogStorage {}
