import Crypto
import Testing
import VellumRekor

@Suite struct SearchLogQueryTests {
    static let uuid = String(repeating: "ab", count: 32)

    func refuse(_ json: JSONValue, _ expected: RekorRequestError, status: Int, code: Int? = nil, message: String? = nil,
                sourceLocation: SourceLocation = #_sourceLocation) {
        let error = #expect(throws: RekorRequestError.self, sourceLocation: sourceLocation) { try SearchLogQuery.parse(json) }
        #expect(error == expected, sourceLocation: sourceLocation)
        #expect(error?.apiError.status == status, sourceLocation: sourceLocation)
        #expect(error?.apiError.code == (code ?? status), sourceLocation: sourceLocation)
        if let message { #expect(error?.apiError.message == message, sourceLocation: sourceLocation) }
    }

    @Test func parsesAllThreeCriteria() throws {
        let signer = TestSigner.p256()
        let proposed = signer.entry(hash: .sha256)
        let query = try SearchLogQuery.parse([
            "entryUUIDs": [.string(Self.uuid), .string("0000000000000001" + Self.uuid.uppercased())],
            "logIndexes": [0, 5],
            "entries": [proposed],
        ])
        #expect(query.entryUUIDs.map(\.treeID) == [nil, 1])
        #expect(query.entryUUIDs[1].hex == "0000000000000001" + Self.uuid)
        #expect(query.logIndexes == [0, 5])
        #expect(query.entries == [try ProposedEntry.canonicalize(proposed)])
        let empty = try SearchLogQuery.parse(json: Array("{}".utf8))
        #expect(empty.entryUUIDs.isEmpty && empty.logIndexes.isEmpty && empty.entries.isEmpty)
    }

    @Test func enforcesItemLimits() {
        refuse(["logIndexes": []], .tooFewItems(field: "logIndexes", minimum: 1), status: 422, code: 612,
               message: "logIndexes in body should have at least 1 items")
        refuse(["entryUUIDs": .array(Array(repeating: .string(Self.uuid), count: 11))],
               .tooManyItems(field: "entryUUIDs", maximum: 10), status: 422, code: 611)
        refuse(["entryUUIDs": .array(Array(repeating: .string(Self.uuid), count: 6)),
                "logIndexes": [1, 2, 3, 4, 5]],
               .tooManyQueries(total: 11, maximum: 10), status: 422, code: 422,
               message: "more than max allowed 10 entries in request")
    }

    @Test func refusesBadItems() {
        refuse(["entryUUIDs": ["xyz"]], .patternMismatch(field: "entryUUIDs.0", pattern: RekorRequestError.entryIDPattern),
               status: 422, code: 605)
        refuse(["entryUUIDs": [.string("8000000000000000" + Self.uuid)]], .invalidTreeID("8000000000000000" + Self.uuid), status: 400)
        refuse(["logIndexes": [1, -1]], .belowMinimum(field: "logIndexes.1", minimum: 0), status: 422, code: 609,
               message: "logIndexes.1 in body should be greater than or equal to 0")
        refuse(["logIndexes": ["1"]], .wrongType(field: "logIndexes.0", want: "integer", got: "string"), status: 400)
        refuse(["entries": "x"], .wrongType(field: "entries", want: "array", got: "string"), status: 400)
        refuse([1], .wrongType(field: "body", want: "object", got: "array"), status: 400)
    }

    /// Schema problems in an entry stay 422; validation problems are a 400 with the bare reason.
    @Test func reportsBadEntries() throws {
        refuse(["entries": [["kind": "foo", "apiVersion": "0.0.1", "spec": [:]]]],
               .invalidEntry(index: 0, .unknownKind("foo")), status: 422, code: 422)
        var entry = TestSigner.p256().entry(hash: .sha256)
        if case .object(var members) = entry {
            members["spec"] = ["data": [:]]
            entry = .object(members)
        }
        refuse(["entries": [TestSigner.p256().entry(hash: .sha256), entry]],
               .invalidEntry(index: 1, .schemaViolations([.required(path: "data"), .required(path: "signature")])),
               status: 400, message: "validation failure list:\ndata in body is required\nsignature in body is required")
    }

    /// Rekor's search path does not apply the algorithm matrix.
    @Test func canonicalizesEntriesWithoutTheMatrix() throws {
        let query = try SearchLogQuery.parse(["entries": [TestSigner.p256().entry(hash: .sha512)]])
        #expect(query.entries.count == 1)
    }
}

@Suite struct SearchIndexQueryTests {
    static let digest = String(repeating: "Ab", count: 32)

    func refuse(_ json: JSONValue, _ expected: RekorRequestError, status: Int, code: Int? = nil, message: String? = nil,
                sourceLocation: SourceLocation = #_sourceLocation) {
        let error = #expect(throws: RekorRequestError.self, sourceLocation: sourceLocation) { try SearchIndexQuery.parse(json) }
        #expect(error == expected, sourceLocation: sourceLocation)
        #expect(error?.apiError.status == status, sourceLocation: sourceLocation)
        #expect(error?.apiError.code == (code ?? status), sourceLocation: sourceLocation)
        if let message { #expect(error?.apiError.message == message, sourceLocation: sourceLocation) }
    }

    @Test func normalisesHashes() throws {
        #expect(try SearchIndexQuery.parse(["hash": .string(Self.digest)]).hash == "sha256:" + Self.digest.lowercased())
        #expect(try SearchIndexQuery.parse(["hash": .string("sha256:" + Self.digest)]).keys == ["sha256:" + Self.digest.lowercased()])
        #expect(try SearchIndexQuery.parse(["hash": .string(String(repeating: "1", count: 40))]).hash == "sha1:" + String(repeating: "1", count: 40))
        #expect(try SearchIndexQuery.parse(["hash": .string(String(repeating: "F", count: 128))]).hash == "sha512:" + String(repeating: "f", count: 128))
        let pattern = SearchIndexQuery.hashPattern
        for bad in ["sha384:" + String(repeating: "a", count: 96), String(repeating: "a", count: 96), "sha256:" + String(repeating: "a", count: 40),
                    "sha256:" + String(repeating: "g", count: 64), "md5:abc"] {
            refuse(["hash": .string(bad)], .patternMismatch(field: "hash", pattern: pattern), status: 422, code: 605)
        }
    }

    @Test func hashesPublicKeysAsEntriesAreIndexed() throws {
        let signer = TestSigner.p256()
        let entry = try ProposedEntry.canonicalize(signer.entry(hash: .sha256))
        let content = Base64Text.encode(Array(("  \n" + signer.publicKeyPEM + "\n").utf8))
        let query = try SearchIndexQuery.parse(["publicKey": ["format": "x509", "content": .string(content)], "operator": "and"])
        #expect(query.publicKeyHash == entry.searchKeys[0])
        #expect(query.operator == .and)
        refuse(["publicKey": ["format": "ssh", "content": "AAAA"]], .unsupportedPKIFormat("ssh"), status: 400,
               message: "the PKI format requested is not supported by this server")
        refuse(["publicKey": ["format": "x509", "content": .string(Base64Text.encode(Array("junk".utf8)))]],
               .malformedPublicKey(reason: "invalid public key: failure decoding PEM"), status: 400,
               message: "public key provided could not be parsed")
        refuse(["publicKey": ["content": "AAAA"]], .required(field: "publicKey.format"), status: 422, code: 602)
        refuse(["publicKey": ["format": "der"]], .notInEnum(field: "publicKey.format", allowed: SearchIndexQuery.publicKeyFormats),
               status: 422, code: 606)
    }

    @Test func lowercasesEmailAndSubject() throws {
        let query = try SearchIndexQuery.parse(["email": "Alice@Example.COM", "subject": "https://GitHub.com/Org/Repo"])
        #expect(query.keys == ["alice@example.com", "https://github.com/org/repo"])
        #expect(query.operator == .or)
        #expect(try SearchIndexQuery.parse([:]).keys.isEmpty)
        #expect(try SearchIndexQuery.parse(["email": "", "hash": ""]).keys.isEmpty)
    }

    @Test func refusesBadCriteria() {
        for bad in ["alice", "@example.com", "alice@", "a b@example.com", "alice@example..com", "Alice <a@b.c>"] {
            refuse(["email": .string(bad)], .invalidEmail(bad), status: 422, code: 601)
        }
        refuse(["subject": .string(String(repeating: "x", count: 513))], .tooLong(field: "subject", maximum: 512), status: 422, code: 603)
        #expect(throws: Never.self) { try SearchIndexQuery.parse(["subject": .string(String(repeating: "é", count: 512))]) }
        refuse(["operator": "xor"], .notInEnum(field: "operator", allowed: ["and", "or"]), status: 422, code: 606,
               message: "operator in body should be one of [and or]")
        refuse(["email": 5], .wrongType(field: "email", want: "string", got: "number"), status: 400)
    }
}
