import Foundation
import Testing
import VellumTesting

/// `normalized/notes.json` (see the vectors README, "File schemas").
struct NotesFile: Decodable {
    struct OpenCase: Decodable, Sendable, CustomTestStringConvertible {
        let desc: String
        let note: String?
        let note_b64: Data?
        let verifier_keys: [String]
        let expect: String
        let verified_names: [String]
        let unverified_names: [String]
        var testDescription: String { desc }
        /// The message bytes: `note` as UTF-8, or `note_b64` when the message is not UTF-8.
        var message: [UInt8] { note.map { Array($0.utf8) } ?? [UInt8](note_b64 ?? Data()) }
    }
    struct SignCase: Decodable, Sendable, CustomTestStringConvertible {
        let skey: String
        let text: String
        let want_note: String
        let source: String
        var testDescription: String { source }
    }
    struct Key: Decodable, Sendable, CustomTestStringConvertible {
        let alg: String
        let name: String
        let skey: String?
        let vkey: String
        let key_id_hex: String
        let public_key: Data
        let private_key_pem: String?
        var testDescription: String { "\(alg) \(name)" }
    }
    struct KeyIDVector: Decodable, Sendable, CustomTestStringConvertible {
        let alg: String
        let name: String
        let public_key: Data?
        let private_key_pem: String?
        let key_id_hex: String
        let full_hash_hex: String?
        var testDescription: String { "\(alg) \(name) \(key_id_hex)" }
    }
    struct BadVerifierKey: Decodable, Sendable { let vkey: String; let why: String }
    struct BadSignerKey: Decodable, Sendable { let skey: String; let why: String }
    struct NoncanonicalVerifierKey: Decodable, Sendable { let vkey: String; let desc: String }
    struct CheckpointBody: Decodable, Sendable, CustomTestStringConvertible {
        let desc: String
        let text: String
        let valid: Bool
        let origin: String?
        let size: UInt64?
        let root: String?
        let extensions: [String]?
        let error: String?
        var testDescription: String { desc }
    }
    struct TestLog: Decodable, Sendable {
        let origin: String
        let ed25519_skey: String
        let ed25519_vkey: String
        let ecdsa_vkey: String
        let ecdsa_private_key_pem: String
    }

    let open_cases: [OpenCase]
    let sign_cases: [SignCase]
    let keys: [Key]
    let key_id_vectors: [KeyIDVector]
    let bad_vkeys: [BadVerifierKey]
    let bad_skeys: [BadSignerKey]
    let noncanonical_vkeys: [NoncanonicalVerifierKey]
    let checkpoint_bodies: [CheckpointBody]
    let test_log: TestLog

    /// Loaded once; `nil` when the vectors folder is missing (the tests are then skipped).
    static let shared: NotesFile? = try? Vectors.load(NotesFile.self, from: "normalized/notes.json")
}

/// `normalized/real_world_rekor.json`.
struct RekorFile: Decodable {
    struct Entry: Decodable, Sendable, CustomTestStringConvertible {
        let source: String
        let log_key_details: String
        let log_public_key_spki: Data
        let log_id: Data
        let vkey: String
        let tree_size: UInt64
        let root: Data
        let checkpoint: String
        let checkpoint_expect: String
        var testDescription: String { source }
    }
    let entries: [Entry]

    static let shared: RekorFile? = try? Vectors.load(RekorFile.self, from: "normalized/real_world_rekor.json")
}
