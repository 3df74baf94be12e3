import Foundation
import VellumMerkle
import VellumRekor

/// A log read through the Rekor v1 API: `GET /api/v1/log` for the signed tree head,
/// `GET /api/v1/log/proof` for consistency proofs, `POST /api/v1/log/entries/retrieve` for
/// entries (at most 10 indexes per call, Rekor's limit), `GET /api/v1/log/entries?logIndex=`
/// for the inclusion proof whose left siblings are the compact range a late start needs.
public struct RekorV1Source: LogSource {
    public let transport: any LogTransport
    /// Retrieve calls in flight at once.
    public var concurrency = 8
    static let indexesPerCall = 10

    public init(transport: any LogTransport) {
        self.transport = transport
    }

    public var preferredBatch: Int { Self.indexesPerCall * concurrency * 8 }

    public func latestCheckpoint() async throws(ClientError) -> String {
        let json = try await getJSON("/api/v1/log")
        guard let note = json["signedTreeHead"]?.stringValue else {
            throw .malformed(url: transport.base + "/api/v1/log", reason: "no signedTreeHead")
        }
        return note
    }

    public func entries(_ range: Range<UInt64>, treeSize: UInt64) async throws(ClientError) -> [FetchedEntry] {
        let chunks = stride(from: range.lowerBound, to: range.upperBound, by: Self.indexesPerCall).map {
            $0..<min($0 + UInt64(Self.indexesPerCall), range.upperBound)
        }
        var result: [FetchedEntry] = []
        result.reserveCapacity(range.count)
        var start = 0
        while start < chunks.count {
            let window = Array(chunks[start..<min(start + concurrency, chunks.count)])
            start += window.count
            let fetched: [[FetchedEntry]]
            do {
                fetched = try await withThrowingTaskGroup(of: (Int, [FetchedEntry]).self) { group in
                    for (position, chunk) in window.enumerated() {
                        group.addTask { (position, try await retrieve(chunk)) }
                    }
                    var results = [[FetchedEntry]](repeating: [], count: window.count)
                    while let (position, entries) = try await group.next() { results[position] = entries }
                    return results
                }
            } catch let error as ClientError {
                throw error
            } catch {
                throw .unreachable(transport.base, reason: "\(error)")
            }
            for entries in fetched { result += entries }
        }
        return result
    }

    /// One retrieve call; entries come back keyed by UUID, each naming its index.
    private func retrieve(_ chunk: Range<UInt64>) async throws(ClientError) -> [FetchedEntry] {
        let path = "/api/v1/log/entries/retrieve"
        let query = "{\"logIndexes\":[" + chunk.map(String.init).joined(separator: ",") + "]}"
        let reply = try await transport.post(path, json: Array(query.utf8))
        guard reply.status == 200 else {
            throw .status(url: transport.base + path, status: reply.status, body: String(reply.text.prefix(200)))
        }
        let json = try parse(reply.body, path: path)
        var byIndex: [UInt64: FetchedEntry] = [:]
        for item in json.arrayValue ?? [] {
            for (_, entry) in item.objectValue ?? [:] {
                guard let index = entry["logIndex"]?.int64Value, index >= 0,
                      let body = entry["body"]?.stringValue.flatMap(Self.base64) else {
                    throw .malformed(url: transport.base + path, reason: "an entry without logIndex or body")
                }
                let attestation = entry["attestation"]?["data"]?.stringValue.flatMap(Self.base64)
                byIndex[UInt64(index)] = FetchedEntry(index: UInt64(index), body: body, attestation: attestation)
            }
        }
        return try chunk.map { (index: UInt64) throws(ClientError) -> FetchedEntry in
            guard let entry = byIndex[index] else {
                throw .malformed(url: transport.base + path, reason: "entry \(index) missing from the answer")
            }
            return entry
        }
    }

    public func consistencyProof(oldSize: UInt64, newSize: UInt64) async throws(ClientError) -> [Hash] {
        let path = "/api/v1/log/proof?firstSize=\(oldSize)&lastSize=\(newSize)"
        let json = try await getJSON(path)
        return try hashes(json["hashes"], path: path)
    }

    public func compactRange(size: UInt64, treeSize: UInt64) async throws(ClientError) -> CompactRange {
        guard size > 0 else { return CompactRange() }
        // Any inclusion proof of leaf `size` lists, among its hashes, the perfect subtrees left
        // of the leaf: exactly the compact range of [0, size), bottom-up (RFC 6962 §2.1.1).
        let path = "/api/v1/log/entries?logIndex=\(size)"
        let json = try await getJSON(path)
        guard let entry = json.objectValue?.values.first,
              let proof = entry["verification"]?["inclusionProof"],
              let proofSize = proof["treeSize"]?.int64Value, proofSize > Int64(size) else {
            throw .malformed(url: transport.base + path, reason: "no inclusion proof for entry \(size)")
        }
        let all = try hashes(proof["hashes"], path: path)
        let inner = 64 - (size ^ UInt64(proofSize - 1)).leadingZeroBitCount
        guard all.count >= inner else { throw .malformed(url: transport.base + path, reason: "inclusion proof too short") }
        var leftSiblings = (0..<inner).filter { size >> UInt64($0) & 1 == 1 }.map { all[$0] }
        leftSiblings += all[inner...]
        do { return try CompactRange(size: size, roots: leftSiblings.reversed()) } catch {
            throw .malformed(url: transport.base + path, reason: "inclusion proof does not fit entry \(size): \(error)")
        }
    }

    private func getJSON(_ path: String) async throws(ClientError) -> JSONValue {
        try parse(try await transport.fetch(path), path: path)
    }

    private func parse(_ bytes: [UInt8], path: String) throws(ClientError) -> JSONValue {
        do { return try JSONValue.parse(bytes) } catch {
            throw .malformed(url: transport.base + path, reason: "not JSON: \(error)")
        }
    }

    private func hashes(_ field: JSONValue?, path: String) throws(ClientError) -> [Hash] {
        guard let items = field?.arrayValue else { throw .malformed(url: transport.base + path, reason: "no hashes") }
        return try items.map { (item: JSONValue) throws(ClientError) -> Hash in
            guard let hex = item.stringValue, let hash = Hash(hex: hex) else {
                throw .malformed(url: transport.base + path, reason: "a proof hash is not 64 hex digits")
            }
            return hash
        }
    }

    static func base64(_ text: String) -> [UInt8]? {
        Data(base64Encoded: text).map(Array.init)
    }
}
