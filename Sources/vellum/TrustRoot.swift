import ArgumentParser
import Crypto
import Foundation
import SwiftASN1
import VellumServer
import X509

/// `vellum trust-root`: what a Sigstore client needs to trust this log, in the shapes of the
/// Sigstore protobuf specs (`TrustedRoot` v0.1, `ClientTrustConfig` v0.1 with a `SigningConfig`
/// v0.2): the `tlogs` entry alone, or with a Fulcio root (and CT log keys) a whole trusted root
/// or client trust config, for `sigstore --trust-config` and the other clients.
struct TrustRoot: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trust-root",
        abstract: "Print the trust material a Sigstore client needs for this log (JSON).",
        discussion: """
            Without --fulcio-root: the log's `tlogs` entry (baseUrl, hashAlgorithm, publicKey with \
            rawBytes, keyDetails and validFor, logId). With --fulcio-root: a whole trusted_root.json \
            around it; add --client-trust-config for a ClientTrustConfig (trusted root and signing \
            config), which needs --fulcio-url and --oidc-url too.
            """)

    @Option(help: "Directory holding the log key (env VELLUM_DATA_DIR; default ./vellum-data).")
    var dataDir: String?
    @Option(help: "The log's public base URL, as clients reach it (env VELLUM_PUBLIC_URL; default http://127.0.0.1:3000).")
    var url: String?
    @Option(help: "Start of the key's validity, RFC 3339 (default: when the log key file was written).")
    var validFrom: String?
    @Option(help: "PEM file with the Fulcio CA certificates, the issuing one first and the root last.")
    var fulcioRoot: String?
    @Option(help: "The Fulcio CA's URL (the trusted root's CA uri and the signing config's caUrls).")
    var fulcioUrl: String?
    @Option(help: "PEM public key of a CT log whose SCTs the certificates carry (repeatable).")
    var ctLogKey: [String] = []
    @Option(help: "The CT logs' base URL.")
    var ctLogUrl: String = "https://ctfe.invalid"
    @Option(help: "The OIDC issuer URL for the signing config's oidcUrls.")
    var oidcUrl: String?
    @Flag(help: "Print a ClientTrustConfig (trusted root and signing config) instead of a trusted root.")
    var clientTrustConfig = false

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let directory = dataDir ?? environment["VELLUM_DATA_DIR"] ?? ServerConfiguration().dataDirectory
        let baseURL = url ?? environment["VELLUM_PUBLIC_URL"] ?? "http://127.0.0.1:3000"
        let keys = try LogKeys.load(from: directory)
        let start = try validFrom ?? Self.rfc3339(Self.modificationDate((directory as NSString).appendingPathComponent(LogKeys.logKeyFile)))
        let spki = Array(keys.logKey.publicKey.derRepresentation)
        let tlog = Self.transparencyLog(baseURL: baseURL, spki: spki, keyDetails: "PKIX_ECDSA_P256_SHA_256", start: start)
        guard let fulcioRoot else {
            if clientTrustConfig { throw ValidationError("--client-trust-config needs --fulcio-root") }
            try Self.printJSON(tlog)
            return
        }
        let certificates = try Self.certificates(inFile: fulcioRoot)
        let subject = certificates[0].subject
        var subjectJSON: [String: Any] = [:]
        if let organization = subject.first(where: { $0.first?.type == .RDNAttributeType.organizationName })?.first?.value.description {
            subjectJSON["organization"] = organization
        }
        if let commonName = subject.first(where: { $0.first?.type == .RDNAttributeType.commonName })?.first?.value.description {
            subjectJSON["commonName"] = commonName
        }
        var ctlogs: [[String: Any]] = []
        for path in ctLogKey {
            let (der, details) = try Self.publicKey(inFile: path)
            ctlogs.append(Self.transparencyLog(baseURL: ctLogUrl, spki: der, keyDetails: details, start: start))
        }
        let trustedRoot: [String: Any] = [
            "mediaType": "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
            "tlogs": [tlog],
            "certificateAuthorities": [[
                "subject": subjectJSON,
                "uri": fulcioUrl ?? "https://fulcio.invalid",
                "certChain": ["certificates": try certificates.map { ["rawBytes": Data(try Self.der($0)).base64EncodedString()] }],
                "validFor": ["start": start],
            ]],
            "ctlogs": ctlogs,
            "timestampAuthorities": [],
        ]
        guard clientTrustConfig else {
            try Self.printJSON(trustedRoot)
            return
        }
        guard let fulcioUrl, let oidcUrl else { throw ValidationError("--client-trust-config needs --fulcio-url and --oidc-url") }
        func service(_ url: String) -> [String: Any] {
            ["url": url, "majorApiVersion": 1, "validFor": ["start": start], "operator": "vellum trust-root"]
        }
        try Self.printJSON([
            "mediaType": "application/vnd.dev.sigstore.clienttrustconfig.v0.1+json",
            "trustedRoot": trustedRoot,
            "signingConfig": [
                "mediaType": "application/vnd.dev.sigstore.signingconfig.v0.2+json",
                "caUrls": [service(fulcioUrl)],
                "oidcUrls": [service(oidcUrl)],
                "rekorTlogUrls": [service(baseURL)],
                "tsaUrls": [],
                "rekorTlogConfig": ["selector": "ANY"],
                "tsaConfig": ["selector": "ANY"],
            ] as [String: Any],
        ])
    }

    /// A `TransparencyLogInstance`: the log ID is the SHA-256 of the key's DER SPKI.
    static func transparencyLog(baseURL: String, spki: [UInt8], keyDetails: String, start: String) -> [String: Any] {
        [
            "baseUrl": baseURL,
            "hashAlgorithm": "SHA2_256",
            "publicKey": ["rawBytes": Data(spki).base64EncodedString(), "keyDetails": keyDetails, "validFor": ["start": start]],
            "logId": ["keyId": Data(SHA256.hash(data: spki)).base64EncodedString()],
        ]
    }

    static func certificates(inFile path: String) throws -> [Certificate] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let blocks = text.components(separatedBy: "-----END CERTIFICATE-----").compactMap { part -> String? in
            guard let begin = part.range(of: "-----BEGIN CERTIFICATE-----") else { return nil }
            return String(part[begin.lowerBound...]) + "-----END CERTIFICATE-----"
        }
        guard !blocks.isEmpty else { throw ValidationError("\(path) holds no PEM certificate") }
        return try blocks.map { try Certificate(pemEncoded: $0) }
    }

    static func der(_ certificate: Certificate) throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return serializer.serializedBytes
    }

    /// A PEM public key's DER SPKI and its Sigstore `keyDetails` name.
    static func publicKey(inFile path: String) throws -> ([UInt8], String) {
        let pem = try String(contentsOfFile: path, encoding: .utf8)
        if let key = try? P256.Signing.PublicKey(pemRepresentation: pem) {
            return (Array(key.derRepresentation), "PKIX_ECDSA_P256_SHA_256")
        }
        if let key = try? P384.Signing.PublicKey(pemRepresentation: pem) {
            return (Array(key.derRepresentation), "PKIX_ECDSA_P384_SHA_384")
        }
        if let key = try? P521.Signing.PublicKey(pemRepresentation: pem) {
            return (Array(key.derRepresentation), "PKIX_ECDSA_P521_SHA_512")
        }
        let parsed = try Certificate.PublicKey(pemEncoded: pem)
        var serializer = DER.Serializer()
        try serializer.serialize(parsed)
        if Curve25519.Signing.PublicKey(parsed) != nil { return (serializer.serializedBytes, "PKIX_ED25519") }
        throw ValidationError("\(path): only ECDSA (P-256, P-384, P-521) and Ed25519 CT log keys are supported")
    }

    static func modificationDate(_ path: String) throws -> Date {
        guard let date = try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date else {
            throw ValidationError("cannot read the modification time of \(path)")
        }
        return date
    }

    static func rfc3339(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    static func printJSON(_ value: Any) throws {
        let data = try JSONSerialization.data(withJSONObject: value, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        print(String(decoding: data, as: UTF8.self))
    }
}
