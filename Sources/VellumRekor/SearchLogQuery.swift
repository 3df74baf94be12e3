/// The body of `POST /api/v1/log/entries/retrieve` (rekor-v1.md §1.7):
/// `{"entryUUIDs": [...], "logIndexes": [...], "entries": [ProposedEntry...]}`, all optional.
public struct SearchLogQuery: Sendable {
    /// Each array may hold 1…10 items (an empty array is a 422: omit it instead).
    public static let maxItemsPerField = 10
    /// At most 10 items in the three arrays together.
    public static let maxQueries = 10

    /// Entries to look up by ID: 80-hex IDs name one tree, 64-hex UUIDs every tree.
    public let entryUUIDs: [EntryID]
    /// Global (virtual) log indexes, each ≥ 0.
    public let logIndexes: [Int64]
    /// Proposed entries, validated and canonicalized (signatures verified) so that their leaf
    /// hashes can be looked up in every tree.
    public let entries: [CanonicalEntry]

    /// Validates a parsed request body in Rekor's order: the schema of each array (422s), the
    /// total of 10 (422), the entry IDs' tree parts (400), then each proposed entry (400,
    /// without the algorithm matrix, which Rekor checks on create only).
    public static func parse(_ json: JSONValue) throws(RekorRequestError) -> SearchLogQuery {
        guard case .object = json else { throw .wrongType(field: "body", want: "object", got: json.typeName) }
        let entryItems = try array(json, "entries")
        let uuidItems = try array(json, "entryUUIDs")
        let indexItems = try array(json, "logIndexes")

        var envelopes: [ProposedEntry.Envelope] = []
        for (index, item) in entryItems.enumerated() {
            do {
                envelopes.append(try ProposedEntry.envelope(item))
            } catch {
                throw .invalidEntry(index: index, error)
            }
        }
        var uuidTexts: [String] = []
        for (index, item) in uuidItems.enumerated() {
            guard let text = item.stringValue else {
                throw .wrongType(field: "entryUUIDs.\(index)", want: "string", got: item.typeName)
            }
            let utf8 = text.utf8
            guard utf8.count == 64 || utf8.count == 80, utf8.allSatisfy({ $0 < 0x80 && $0.isHexDigit }) else {
                throw .patternMismatch(field: "entryUUIDs.\(index)", pattern: RekorRequestError.entryIDPattern)
            }
            uuidTexts.append(text)
        }
        var logIndexes: [Int64] = []
        for (index, item) in indexItems.enumerated() {
            guard case .number(let number) = item, let value = number.int64 else {
                throw .wrongType(field: "logIndexes.\(index)", want: "integer", got: item.typeName)
            }
            guard value >= 0 else { throw .belowMinimum(field: "logIndexes.\(index)", minimum: 0) }
            logIndexes.append(value)
        }

        let total = entryItems.count + uuidItems.count + indexItems.count
        guard total <= maxQueries else { throw .tooManyQueries(total: total, maximum: maxQueries) }

        var entryUUIDs: [EntryID] = []
        for text in uuidTexts {
            entryUUIDs.append(try EntryID.parse(text))  // pattern checked above: only the tree part can fail
        }
        var entries: [CanonicalEntry] = []
        for (index, envelope) in envelopes.enumerated() {
            do {
                entries.append(try ProposedEntry.canonicalize(envelope, checkingAlgorithms: false))
            } catch {
                throw .invalidEntry(index: index, error)
            }
        }
        return SearchLogQuery(entryUUIDs: entryUUIDs, logIndexes: logIndexes, entries: entries)
    }

    /// Parses the request body bytes, then ``parse(_:)``.
    public static func parse(json bytes: [UInt8]) throws(RekorRequestError) -> SearchLogQuery {
        try parse(try RekorRequestError.parseBody(bytes))
    }

    public init(entryUUIDs: [EntryID] = [], logIndexes: [Int64] = [], entries: [CanonicalEntry] = []) {
        self.entryUUIDs = entryUUIDs
        self.logIndexes = logIndexes
        self.entries = entries
    }

    /// An optional array member with 1…10 items; absent or `null` reads as empty.
    private static func array(_ json: JSONValue, _ field: String) throws(RekorRequestError) -> [JSONValue] {
        switch json[field] {
        case nil, .null?:
            return []
        case .array(let items)?:
            guard !items.isEmpty else { throw .tooFewItems(field: field, minimum: 1) }
            guard items.count <= maxItemsPerField else { throw .tooManyItems(field: field, maximum: maxItemsPerField) }
            return items
        case let other?:
            throw .wrongType(field: field, want: "array", got: other.typeName)
        }
    }
}
