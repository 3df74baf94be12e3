import HTTPTypes
import Hummingbird
import VellumMerkle
import VellumRekor
import VellumSequencer
import VellumStorage

/// `/api/v1/log/entries…`: create, fetch by UUID or index, retrieve (spec §1.4–§1.7).
struct EntriesController {
    let log: RekorLog
    let maxRequestBytes: Int
    let metrics: ServerMetrics
    /// With a shared store: who sequences, for uploads this node cannot take.
    let leadership: Leadership?
    let forwarder = UploadForwarder()

    func addRoutes(to router: Router<BasicRequestContext>) {
        router.post("/api/v1/log/entries") { request, _ in await Replies.guarded { try await upload(request) } }
        router.get("/api/v1/log/entries") { request, _ in await Replies.guarded { try byIndex(request) } }
        router.get("/api/v1/log/entries/:entryUUID") { _, context in
            await Replies.guarded { try byUUID(context.parameters.get("entryUUID") ?? "") }
        }
        router.post("/api/v1/log/entries/retrieve") { request, _ in await Replies.guarded { try await retrieve(request) } }
    }

    /// The statement to store with `entry`: an intoto entry's, when the server keeps
    /// attestations and it is within the size limit (Rekor skips larger ones, and logs the entry).
    func attestationToKeep(_ entry: CanonicalEntry) -> [UInt8]? {
        guard let limit = log.maxAttestationBytes, let statement = entry.attestation, statement.count <= limit else { return nil }
        return statement
    }

    /// Takes an upload here when this node sequences, else hands it to the node that does. A
    /// batch that failed because this node just lost the lease is handed over too, and so is an
    /// upload whose forward was cut short because the holder changed (it died or paused, and
    /// another took over): the new holder deduplicates, so an entry that did land is answered
    /// 409 as any repeat. Gives up with 503 + Retry-After when no holder appears in time.
    func upload(_ request: Request) async throws -> Response {
        let bytes = try await request.collectBody(limit: maxRequestBytes)
        let forwarded = request.headers[UploadForwarder.header] != nil
        let unavailable = APIError(status: .serviceUnavailable, message: "no node sequences the log at the moment (a "
                                   + "takeover is in progress); retry shortly", headers: [.retryAfter: "1"])
        guard let leadership else {
            guard let sequencer = log.sequencer else { throw unavailable }
            return try await create(bytes, sequencer: sequencer)
        }
        let deadline = ContinuousClock.now + leadership.lease.duration * 4
        var abandoned: Int64?  // the token of a holder whose forward failed
        // Set once an attempt may have landed without its answer reaching us (a batch that failed
        // as the lease moved, an abandoned forward): a 409 after that is this upload's own entry.
        var mayHaveLanded = false
        while ContinuousClock.now < deadline {
            if let sequencer = log.sequencer {
                do {
                    return try await create(bytes, sequencer: sequencer)
                } catch SequencerError.batchFailed where log.sequencer == nil && !forwarded {
                    mayHaveLanded = true  // lost the lease mid-batch: the next holder takes it
                    continue
                } catch SequencerError.shuttingDown where !forwarded {
                    continue
                } catch let conflict as APIError where conflict.status == .conflict && mayHaveLanded {
                    return try ownEntry(conflict.headers[.location])
                }
            }
            guard !forwarded else { throw unavailable }
            if let leader = leadership.leader, leader.token != abandoned, !leader.address.isEmpty,
               leader.address != leadership.address {
                if let answer = try await forward(bytes, to: leader, leadership: leadership) {
                    if answer.status == .conflict && mayHaveLanded { return try ownEntry(answer.headers[.location]) }
                    return answer
                }
                abandoned = leader.token
                mayHaveLanded = true
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw unavailable
    }

    /// The 201 a client should have had for an upload whose earlier attempt landed but whose
    /// answer was lost in a takeover: the entry as stored (body, proof, SET), as any receipt.
    func ownEntry(_ location: String?) throws -> Response {
        let prefix = "/api/v1/log/entries/"
        guard let location, location.hasPrefix(prefix) else {
            throw APIError(status: .internalServerError, message: "unexpected error communicating with transparency log")
        }
        let uuid = String(location.dropFirst(prefix.count))
        // The entry committed on the old holder; this node's view of the tree may lag it briefly.
        try log.refreshLatestCheckpoint()
        var found = try byUUID(uuid)
        guard found.status == .ok else { return found }
        found.status = .created
        found.headers[.location] = location
        found.headers[.eTag] = uuid
        found.headers[.cacheControl] = nil
        return found
    }

    /// Forwards to `leader`, abandoning the forward (nil) if the lease changes hands meanwhile
    /// or the holder cannot be reached; a healthy holder is waited for however long it takes.
    func forward(_ bytes: [UInt8], to leader: WriterLeaseHolder, leadership: Leadership) async throws -> Response? {
        try await withThrowingTaskGroup(of: Response?.self) { group in
            group.addTask {
                do {
                    return try await forwarder.forward(bytes, path: "/api/v1/log/entries", to: leader.address)
                } catch is CancellationError {
                    return nil
                } catch let error as APIError where error.status == .serviceUnavailable && error.headers[.retryAfter] != nil {
                    return nil  // unreachable or taking over: try the next holder
                }
            }
            group.addTask {
                while leadership.leader?.token == leader.token { try await Task.sleep(for: .milliseconds(100)) }
                return nil
            }
            defer { group.cancelAll() }
            return try await group.next() ?? nil
        }
    }

    /// Validates and canonicalizes the proposed entry, waits until the batch holding it is
    /// durable, and answers 201 with the entry, or 409 pointing at the entry it duplicates.
    func create(_ bytes: [UInt8], sequencer: Sequencer) async throws -> Response {
        let entry = try ProposedEntry.canonicalize(json: bytes)
        let started = ContinuousClock.now
        let outcome = try await sequencer.submit(entry.leaf, identity: entry.leafHash,
                                                 searchKeys: entry.searchKeys.map { Array($0.utf8) },
                                                 attachment: attestationToKeep(entry))
        metrics.sequencerWait.record(ContinuousClock.now - started)
        let entryID = log.entryID(entry.leafHash)
        let location = "/api/v1/log/entries/\(entryID)"
        switch outcome {
        case .added(let receipt):
            let checkpoint = ProofCheckpoint(size: receipt.checkpoint.size, root: receipt.checkpoint.root,
                                             note: receipt.checkpoint.note)
            let json = try log.logEntryJSON(body: entry.body, entryID: entryID, index: receipt.index,
                                            integratedTime: receipt.checkpoint.signedAt / 1000,
                                            proof: receipt.inclusionProof, checkpoint: checkpoint)
            metrics.treeSize.set(Int64(receipt.checkpoint.size))
            return Replies.json(json, status: .created, headers: [.eTag: entryID, .location: location])
        case .duplicate:
            throw APIError(status: .conflict,
                           message: "an equivalent entry already exists in the transparency log with UUID \(entryID)",
                           headers: [.location: location])
        }
    }

    func byIndex(_ request: Request) throws -> Response {
        guard let text = request.query("logIndex") else {
            throw APIError.validation(602, "logIndex in query is required")
        }
        guard let index = Int64(text) else {
            throw APIError.validation(601, "logIndex in query must be of type int64: \"\(text)\"")
        }
        guard index >= 0 else { throw APIError.validation(609, "logIndex in query should be greater than or equal to 0") }
        let checkpoint = try log.proofCheckpoint(covering: UInt64(index))
        guard let json = try log.storedLogEntryJSON(index: UInt64(index), checkpoint: checkpoint) else {
            return Replies.notFound
        }
        return Replies.json(json, headers: Replies.noCache)
    }

    func byUUID(_ text: String) throws -> Response {
        guard let index = try log.index(of: try EntryID.parse(text)) else { return Replies.notFound }
        let checkpoint = try log.proofCheckpoint(covering: index)
        guard let json = try log.storedLogEntryJSON(index: index, checkpoint: checkpoint) else { return Replies.notFound }
        return Replies.json(json, headers: Replies.noCache)
    }

    /// Looks up entries by UUID, by index and by proposed entry (each validated and
    /// canonicalized as on upload); misses are left out and nothing found is `[]`.
    func retrieve(_ request: Request) async throws -> Response {
        let bytes = try await request.collectBody(limit: maxRequestBytes)
        let query = try SearchLogQuery.parse(json: bytes)
        var indices: [UInt64] = []
        for id in query.entryUUIDs {
            if let index = try log.index(of: id) { indices.append(index) }
        }
        for entry in query.entries {
            if let index = try log.storage.index(ofIdentity: entry.leafHash) { indices.append(index) }
        }
        indices += query.logIndexes.compactMap { $0 >= 0 ? UInt64($0) : nil }
        let checkpoint = try log.proofCheckpoint(covering: indices.max())
        var json = JSONWriter(capacity: 4096)
        json.beginArray()
        for index in indices {
            guard let entry = try log.storedLogEntryJSON(index: index, checkpoint: checkpoint) else { continue }
            json.raw(entry)
        }
        json.endArray()
        return Replies.json(json.bytes)
    }
}
