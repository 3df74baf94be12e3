import Crypto
import Foundation
import Logging
import VellumSync
import VellumMerkle
import VellumNote
import VellumSequencer
import VellumStorage

/// One Rekor v1 log (a single active tree): its store, sequencer and keys, and the reads the
/// API answers from. Shared by every request handler; every member is safe to use concurrently.
///
/// Reads go to the store's read pool and never through the writer connection. Everything that
/// changes the log goes through `sequencer`.
public final class RekorLog: Sendable {
    public let storage: any ServedLogStorage
    /// The sequencer while this node is the log's writer: from the start with a store one
    /// process owns (SQLite); with a shared store (PostgreSQL) only while this node holds the
    /// writer lease (`Leadership`), nil on the others, which forward uploads to the holder.
    public var sequencer: Sequencer? { role.withLock { $0 } }
    /// Whether this node sequences now: it runs a sequencer and, with a shared store, its own
    /// clock says its lease has not run out. (The lease can run out a moment before the node
    /// notices and stops its sequencer; it must not call itself the sequencer meanwhile, since
    /// another node may already have taken over. The fence keeps its batches out regardless.)
    public var isSequencing: Bool { sequencer != nil && storage.writerLease?.holds != false }
    private let role: Locked<Sequencer?>
    /// What a sequencer is made of, so a node that wins the lease can start one.
    let sequencerConfiguration: SequencerConfiguration
    let verifiers: [any NoteVerifier]
    let logger: Logger
    /// Positive int64, printed in decimal in the origin and `treeID`, as 16 hex digits in entry IDs.
    public let treeID: Int64
    /// Name on checkpoint signature lines; the origin is `<hostname> - <treeID>`.
    public let hostname: String
    public let origin: String
    /// Signs SETs and Rekor v1 checkpoints.
    let logKey: P256.Signing.PrivateKey
    /// SHA-256 of the log key's DER SPKI: Rekor's logID and (first 4 bytes) the checkpoint key hint.
    public let logID: Hash
    /// The log key's SPKI as PEM (`GET /api/v1/log/publicKey`).
    public let publicKeyPEM: String
    /// The Ed25519 note key's verifier key (`name+hash+key`), for tlog-tiles clients.
    public let noteVerifierKey: String
    let ecdsaKeyID: UInt32
    /// With attestation storage on, the largest statement kept, in bytes; nil when off.
    public let maxAttestationBytes: Int?
    /// The last stored note turned into its Rekor v1 form; every receipt of a batch shares it.
    private let v1NoteCache = Locked<(note: String, v1: String)?>(nil)
    private let batchObserver: BatchObserver
    let proofs: ProofReader
    /// Integration times and SETs of recent entries by index (neither ever changes: a SET
    /// signs only the body, time, logID and index), so lookups need not query the checkpoint
    /// history or sign again. Bounded: ~130 bytes each, cleared when full. Sized for all of
    /// them up front, so that it never rehashes under its lock while uploads wait on it (the
    /// last growth copied 2^17 entries); the table is ~16 MiB of address space, resident only
    /// as it fills.
    static let rememberedStamps = 1 << 18
    let stamps = Locked<[UInt64: EntryStamp]>(Dictionary(minimumCapacity: rememberedStamps))

    /// Tells `handler` about every committed batch from now on (the server's metrics),
    /// replacing the one set before.
    public func onBatchCommitted(_ handler: @escaping @Sendable (BatchReport) -> Void) {
        batchObserver.setHandler(handler)
    }

    init(storage: any ServedLogStorage, sequencer: Sequencer?, sequencerConfiguration: SequencerConfiguration,
         verifiers: [any NoteVerifier], logger: Logger, treeID: Int64, hostname: String, keys: LogKeys,
         noteVerifierKey: String, batchObserver: BatchObserver, maxAttestationBytes: Int? = nil) {
        self.role = Locked(sequencer)
        self.sequencerConfiguration = sequencerConfiguration
        self.verifiers = verifiers
        self.logger = logger
        self.batchObserver = batchObserver
        self.maxAttestationBytes = maxAttestationBytes
        self.proofs = ProofReader(storage: storage)
        self.storage = storage
        self.treeID = treeID
        self.hostname = hostname
        self.origin = Self.origin(hostname: hostname, treeID: treeID)
        self.logKey = keys.logKey
        let spki = Array(keys.logKey.publicKey.derRepresentation)
        self.logID = RFC6962.sha256(of: spki)
        self.ecdsaKeyID = NoteKeyID.ecdsa(spki: spki)
        self.publicKeyPEM = keys.logKey.publicKey.pemRepresentation + "\n"
        self.noteVerifierKey = noteVerifierKey
    }

    static func origin(hostname: String, treeID: Int64) -> String { "\(hostname) - \(treeID)" }

    /// Opens (or creates) the log in the configured data directory: keys, database, tree ID,
    /// sequencer. Returns the key files it had to create.
    /// Opens the log on `storage` (the executable picks the store): keys from the data
    /// directory, the tree ID and host name settled in the store's metadata, the sequencer
    /// started (it checks the stored tree against the last signed checkpoint first).
    public static func open(configuration: ServerConfiguration, storage: any ServedLogStorage,
                            logger: Logger) throws -> (log: RekorLog, createdKeys: [String]) {
        let directory = configuration.dataDirectory
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw ServerError.dataDirectory(path: directory, reason: "cannot be created: \(error.localizedDescription)")
        }
        let (keys, created) = try LogKeys.loadOrCreate(in: directory)
        let treeID = try settleTreeID(storage: storage, requested: configuration.treeID)
        let hostname = try storage.setMetadataIfAbsent("hostname", value: configuration.hostname)
        if hostname != configuration.hostname {
            logger.notice("keeping the stored hostname; the checkpoint origin cannot change once signed",
                          metadata: ["stored": "\(hostname)", "configured": "\(configuration.hostname)"])
        }
        let ed25519 = try Ed25519NoteSigner(name: hostname, privateKey: keys.noteKey)
        let ecdsa = try ECDSANoteSigner(name: hostname, privateKey: keys.logKey)
        // The keys are settled in the store at first start, like the tree ID: a node (or a data
        // directory) with other keys would sign checkpoints no verifier of this log accepts.
        let logID = RFC6962.sha256(of: Array(keys.logKey.publicKey.derRepresentation)).hex
        let storedLogID = try storage.setMetadataIfAbsent("log_id", value: logID)
        guard storedLogID == logID else { throw ServerError.keyMismatch(which: "log key", stored: storedLogID, found: logID) }
        let noteKey = ed25519.verifier.verifierKey
        let storedNoteKey = try storage.setMetadataIfAbsent("note_verifier_key", value: noteKey)
        guard storedNoteKey == noteKey else { throw ServerError.keyMismatch(which: "note key", stored: storedNoteKey, found: noteKey) }
        // Ed25519 first: tlog-tiles clients read /checkpoint as a C2SP note; Rekor v1 clients get
        // the same note with only the ECDSA line (`v1Note`).
        var sequencerConfiguration = SequencerConfiguration(origin: origin(hostname: hostname, treeID: treeID),
                                                            signers: [ed25519, ecdsa])
        sequencerConfiguration.maxBatchSize = configuration.maxBatchSize
        sequencerConfiguration.maxBatchAge = configuration.maxBatchAge
        sequencerConfiguration.maxPoolSize = configuration.maxPoolSize
        let observer = BatchObserver()
        sequencerConfiguration.onBatchCommitted = { report in observer.report(report) }
        let verifiers: [any NoteVerifier] = [ed25519.verifier, ecdsa.verifier]
        // A store one process owns: this node is the writer from the start. A shared one:
        // `Leadership` starts a sequencer when this node wins the lease.
        let sequencer = storage.writerLease == nil
            ? try Sequencer(storage: storage, configuration: sequencerConfiguration, verifiers: verifiers, logger: logger)
            : nil
        let log = RekorLog(storage: storage, sequencer: sequencer, sequencerConfiguration: sequencerConfiguration,
                           verifiers: verifiers, logger: logger, treeID: treeID, hostname: hostname, keys: keys,
                           noteVerifierKey: ed25519.verifier.verifierKey, batchObserver: observer,
                           maxAttestationBytes: configuration.attestationStorage ? configuration.maxAttestationBytes : nil)
        // Reads answer against the latest checkpoint; from memory, not a query per request.
        // (A sequencer has just checked the stored one against the tiles and the keys.)
        try log.refreshLatestCheckpoint()
        return (log, created)
    }

    /// Takes the stored latest checkpoint as the one reads answer against, if it is newer than
    /// the one in memory. Nodes that do not sequence call this every few hundred milliseconds.
    /// Returns the checkpoint when it advanced.
    @discardableResult
    func refreshLatestCheckpoint() throws -> SignedCheckpoint? {
        guard let stored = try storage.latestCheckpoint() else { return nil }
        return batchObserver.latest.withLock { latest -> SignedCheckpoint? in
            guard (latest?.size ?? 0) < stored.size || latest == nil else { return nil }
            let advanced = SignedCheckpoint(size: stored.size, root: stored.root,
                                            note: String(decoding: stored.note, as: UTF8.self), signedAt: stored.signedAt)
            latest = advanced
            return advanced
        }
    }

    /// Starts sequencing (this node just won the writer lease): loads the tree from the store,
    /// checks it against the last signed checkpoint, and takes uploads from now on.
    func startSequencing() throws -> Sequencer {
        let sequencer = try Sequencer(storage: storage, configuration: sequencerConfiguration, verifiers: verifiers, logger: logger)
        let checkpoint = sequencer.initialCheckpoint
        batchObserver.latest.withLock { latest in
            if (latest?.size ?? 0) <= checkpoint.size { latest = checkpoint }
        }
        role.withLock { $0 = sequencer }
        return sequencer
    }

    /// Stops sequencing (the lease is lost or the node is shutting down): uploads go elsewhere
    /// from now on; what the old sequencer still holds is committed if the fence allows, or failed.
    func stopSequencing() async {
        guard let old = role.withLock({ current -> Sequencer? in defer { current = nil }; return current }) else { return }
        await old.shutdown()
    }

    /// The stored tree ID; on first start the requested one or a random positive int64.
    static func settleTreeID(storage: any MetadataStorage, requested: Int64?) throws -> Int64 {
        if let requested, requested <= 0 {
            throw ServerError.invalidConfiguration("--tree-id must be a positive int64, got \(requested)")
        }
        let proposal = requested ?? Int64.random(in: 1...Int64.max)
        let storedText = try storage.setMetadataIfAbsent("tree_id", value: String(proposal))
        guard let stored = Int64(storedText), stored > 0 else {
            throw ServerError.invalidConfiguration("the database holds an invalid tree ID \(storedText)")
        }
        if let requested, requested != stored { throw ServerError.treeIDMismatch(stored: stored, given: requested) }
        return stored
    }

    /// The Rekor v1 form of a stored checkpoint note: the same body with only the ECDSA
    /// signature line (Rekor's verifier rejects a note with any line of another key hint).
    func v1Note(_ note: String) -> String {
        if let cached = v1NoteCache.withLock({ $0 }), cached.note == note { return cached.v1 }
        let v1: String
        if let parsed = try? Note(parsing: note),
           let converted = try? Note(text: parsed.text, signatures: parsed.signatures.filter { $0.keyID == ecdsaKeyID }) {
            v1 = converted.message
        } else {
            v1 = note  // cannot happen for notes this log signed; serve it unchanged rather than fail
        }
        v1NoteCache.withLock { $0 = (note, v1) }
        return v1
    }

    /// The tree size of the latest signed checkpoint.
    func latestSize() throws -> UInt64 {
        if let latest = lastCommitted { return latest.size }
        return try latestCheckpoint().size
    }

    /// The latest signed checkpoint as kept in memory: the stored one at open, then each
    /// durable batch's. (Nil only for a log opened without one, which the sequencer refuses.)
    var lastCommitted: SignedCheckpoint? { batchObserver.latest.withLock { $0 } }

    /// The latest signed checkpoint (all signature lines), from memory, else from the store.
    func latestCheckpoint() throws -> StoredCheckpoint {
        if let latest = lastCommitted {
            return StoredCheckpoint(size: latest.size, root: latest.root, note: Array(latest.note.utf8), signedAt: latest.signedAt)
        }
        guard let checkpoint = try storage.latestCheckpoint() else {
            throw StorageError.corrupt("the log has no signed checkpoint")
        }
        return checkpoint
    }
}

/// Lets the sequencer, configured before the server exists, report batches to it.
final class BatchObserver: Sendable {
    /// The server's handler, inside a class of its own rather than as a closure value in the
    /// `Mutex`. A closure that is the value of a generic container is stored at the container's
    /// opaque abstraction; reading it through `withLock`'s `inout` access reabstracts it and
    /// writes the re-wrapped closure back, so each read added two thunk layers for good. Read
    /// once per batch, that overflowed the stack after ~250,000 batches (issue 18). A class
    /// reference has one representation: reading it wraps nothing.
    private let handler = Locked<Handler?>(nil)
    /// The latest checkpoint: the stored one at open, then each reported batch's (a batch is
    /// reported once durable).
    let latest = Locked<SignedCheckpoint?>(nil)

    private final class Handler: Sendable {
        let call: @Sendable (BatchReport) -> Void
        init(_ call: @escaping @Sendable (BatchReport) -> Void) { self.call = call }
    }

    func setHandler(_ handler: @escaping @Sendable (BatchReport) -> Void) {
        let boxed = Handler(handler)
        self.handler.withLock { $0 = boxed }
    }

    func report(_ report: BatchReport) {
        latest.withLock { $0 = report.checkpoint }
        handler.withLock { $0 }?.call(report)
    }
}

/// What never changes about a logged entry beyond its body.
struct EntryStamp: Sendable {
    var integratedTime: UInt64
    /// The base64 SignedEntryTimestamp, once one was signed.
    var signedEntryTimestamp: String?
}
