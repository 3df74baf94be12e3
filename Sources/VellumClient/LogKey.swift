import VellumNote

/// The key a log's checkpoints must be signed with: a PEM public key (ECDSA P-256 as Rekor v1
/// logs use, or Ed25519), or a note verifier key (`name+hash+base64`).
///
/// A PEM key carries no signer name, and Rekor v1 signs its checkpoints under the host name,
/// not the origin (`rekor.sigstore.dev` for `rekor.sigstore.dev - <tree ID>`; spec notes §6), so
/// a PEM key is tried under each name the note's signature lines use: an ECDSA key ID is the
/// hash of the key alone, and an Ed25519 one only matches under the name it was made for.
public struct LogKey: Sendable {
    enum Form: Sendable {
        case publicKey(NotePublicKey)
        case verifier(any NoteVerifier)
    }

    let form: Form

    public init(pem: String) throws(ClientError) {
        do { form = .publicKey(try NotePublicKey(pem: pem)) } catch {
            throw .configuration("the log key is not an ECDSA P-256 or Ed25519 PEM public key: \(error)")
        }
    }

    public init(verifierKey: String) throws(ClientError) {
        do { form = .verifier(try NoteKeys.verifier(verifierKey)) } catch {
            throw .configuration("the verifier key does not parse: \(error)")
        }
    }

    /// The key as a PEM public key, when it is one (the SET of a Rekor v1 entry is checked with it).
    public var publicKey: NotePublicKey? {
        if case .publicKey(let key) = form { return key }
        return nil
    }

    /// Opens a signed checkpoint with this key; throws what is wrong with it.
    public func open(_ note: String) throws(CheckpointError) -> VerifiedCheckpoint {
        switch form {
        case .verifier(let verifier):
            return try Checkpoint.open(note, verifiers: [verifier])
        case .publicKey(let key):
            let names = Set(((try? Note(parsing: note))?.signatures ?? []).map(\.name))
            let verifiers = names.sorted().compactMap { try? key.verifier(name: $0) }
            return try Checkpoint.open(note, verifiers: verifiers)
        }
    }
}
