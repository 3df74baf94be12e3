import Crypto
import Foundation
import Logging
import SwiftASN1
import VellumClient
import VellumRekor
import VellumServer
import VellumSQLite
import VellumSequencer
import VellumSync
import X509

/// For `scripts/bench monitor`: a Vellum data directory filled with traffic shaped like the
/// public good instance's (keyless signing: each entry under a Fulcio-like certificate with an
/// e-mail SAN and an OIDC issuer; one in five a dsse attestation), and a watch list of 1,000
/// identities, 1,000 key fingerprints and 1,000 artifact digests of which a few occur.
///
/// Entries go through the server's own validation (`ProposedEntry.canonicalize`) and sequencer,
/// so the bodies are the ones Vellum logs. Signers: 1,000 identities, each with its key and
/// certificate (a monitor parses each body's certificate whether or not it saw it before).
enum MonitorBench {
    static let identities = 1000
    /// Identities and artifacts on the watch list that occur in the log.
    static let watchedIdentities = 5
    static let watchedDigests = 5

    static func email(_ i: Int) -> String { "signer\(i)@bench.vellum.test" }
    static func artifact(_ i: Int) -> SHA256.Digest { SHA256.hash(data: Array("monitor bench artifact \(i)".utf8)) }

    static func build(directory: String, count: Int) async throws {
        var configuration = ServerConfiguration()
        configuration.dataDirectory = directory
        configuration.hostname = "bench.vellum"
        configuration.maxBatchSize = 8192
        let logger = Logger(label: "bench")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let storage = try SQLiteLogStorage(path: configuration.databasePath, readers: configuration.readers)
        let (log, _) = try RekorLog.open(configuration: configuration, storage: storage, logger: logger)
        let signers = (0..<identities).map { i -> (P256.Signing.PrivateKey, String) in
            let key = P256.Signing.PrivateKey()
            return (key, Data(certificatePEM(key: key, email: email(i)).utf8).base64EncodedString())
        }
        let started = Date()
        guard let sequencer = log.sequencer else { throw SoakError.verification("the SQLite log opened without a sequencer") }
        let submitted = Progress()
        let submitters = 4000
        try await withThrowingTaskGroup(of: Void.self) { group in
            for s in 0..<submitters {
                group.addTask {
                    try await submit(from: s, every: submitters, count: count, signers: signers, sequencer: sequencer,
                                     submitted: submitted, started: started)
                }
            }
            try await group.waitForAll()
        }
        await sequencer.shutdown()
        try watchList().write(toFile: directory + "/watch.yaml", atomically: true, encoding: .utf8)
        print("logged \(count) entries in \(Int(Date().timeIntervalSince(started))) s; watch list in \(directory)/watch.yaml")
    }

    static func submit(from start: Int, every stride: Int, count: Int, signers: [(P256.Signing.PrivateKey, String)],
                       sequencer: Sequencer, submitted: Progress, started: Date) async throws {
        var i = start
        while i < count {
            let (key, pem) = signers[i % identities]
            let request = i % 5 == 4 ? dsse(i, key: key, pemBase64: pem) : hashedrekord(i, key: key, pemBase64: pem)
            let entry = try ProposedEntry.canonicalize(json: Array(request.utf8))
            _ = try await sequencer.submit(entry.leaf, identity: entry.leafHash,
                                           searchKeys: entry.searchKeys.map { Array($0.utf8) }, attachment: nil)
            let done = submitted.count.withLock { $0 += 1; return $0 }
            if done % 100_000 == 0 { print("  \(done) entries logged, \(Int(Double(done) / Date().timeIntervalSince(started)))/s") }
            i += stride
        }
    }

    /// Entries logged so far, shared by the submitters.
    final class Progress: Sendable {
        let count = Locked(0)
    }

    static func hashedrekord(_ i: Int, key: P256.Signing.PrivateKey, pemBase64: String) -> String {
        HTTPBench.request(digest: artifact(i), key: key, publicKeyPEMBase64: pemBase64)
    }

    static func dsse(_ i: Int, key: P256.Signing.PrivateKey, pemBase64: String) -> String {
        let digest = artifact(i).hex
        let payload = Array(#"{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"artifact-\#(i)","digest":{"sha256":"\#(digest)"}}],"predicateType":"https://slsa.dev/provenance/v1","predicate":{"buildDefinition":{"buildType":"https://vellum.invalid/bench"}}}"#.utf8)
        let sig = try! key.signature(for: HTTPBench.pae(payload)).derRepresentation.base64EncodedString()
        let envelope = #"{"payload":"\#(Data(payload).base64EncodedString())","payloadType":"\#(HTTPBench.inTotoType)","signatures":[{"keyid":"","sig":"\#(sig)"}]}"#
        let escaped = envelope.replacingOccurrences(of: "\"", with: "\\\"")
        return #"{"apiVersion":"0.0.1","kind":"dsse","spec":{"proposedContent":{"envelope":"\#(escaped)","verifiers":["\#(pemBase64)"]}}}"#
    }

    /// 1,000 identities (the first few are signers of the log), 1,000 fingerprints (none
    /// occurs: keyless signers' keys are fresh), 1,000 digests (the first few occur).
    static func watchList() -> String {
        var text = "identities:\n"
        for i in 0..<1000 {
            let address = i < watchedIdentities ? email(i) : "watched\(i)@elsewhere.example"
            text += "  - san: \"\(address.replacingOccurrences(of: ".", with: "\\\\."))\"\n    issuer: \"https://accounts\\\\.bench\\\\.test\"\n"
        }
        text += "fingerprints:\n"
        for i in 0..<1000 { text += "  - \"sha256:\(SHA256.hash(data: Array("no such key \(i)".utf8)).hex)\"\n" }
        text += "digests:\n"
        for i in 0..<1000 {
            let digest = i < watchedDigests ? artifact(i * 7919).hex : SHA256.hash(data: Array("no such artifact \(i)".utf8)).hex
            text += "  - \"sha256:\(digest)\"\n"
        }
        return text
    }

    static func certificatePEM(key: P256.Signing.PrivateKey, email: String) -> String {
        let issuerOID: ASN1ObjectIdentifier = [1, 3, 6, 1, 4, 1, 57264, 1, 8]
        var serializer = DER.Serializer()
        try! serializer.serialize(ASN1UTF8String("https://accounts.bench.test"))
        var extensions = try! Certificate.Extensions {
            KeyUsage(digitalSignature: true)
            SubjectAlternativeNames([.rfc822Name(email)])
        }
        try! extensions.append(Certificate.Extension(oid: issuerOID, critical: false, value: ArraySlice(serializer.serializedBytes)))
        let now = Date()
        let certificate = try! Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
            notValidBefore: now.addingTimeInterval(-600), notValidAfter: now.addingTimeInterval(600),
            issuer: try! DistinguishedName { CommonName("sigstore-intermediate") }, subject: DistinguishedName(),
            signatureAlgorithm: .ecdsaWithSHA256, extensions: extensions, issuerPrivateKey: .init(key))
        return try! certificate.serializeAsPEM().pemString + "\n"
    }

    /// The in-process ceiling: bodies read back from the tiles of a running server are parsed
    /// and matched against the watch list on one core, with no HTTP: entries per second.
    static func ceiling(url: String, watchPath: String, count: Int) async throws {
        let transport = try URLSessionTransport(base: url)
        let source = TilesSource(transport: transport)
        let entries = try await source.entries(0..<UInt64(count), treeSize: UInt64(count))
        let watch = try WatchList(yaml: try String(contentsOfFile: watchPath, encoding: .utf8))
        let start = Date()
        var matches = 0
        for entry in entries {
            // As the monitor reads an entry: certificate fields from the DER (CertificateFacts).
            let logged = try LoggedEntry(body: entry.body, parseKeys: false)
            matches += (watch.quickMatches(logged) ?? []).isEmpty ? 0 : 1
        }
        let seconds = Date().timeIntervalSince(start)
        print("{\"ceiling_entries_per_s\": \(Int(Double(entries.count) / seconds)), \"ceiling_sample\": \(entries.count), \"ceiling_matches\": \(matches)}")
    }
}
