/// For a store that several server processes share (PostgreSQL): the right to write, held by
/// one node at a time for a limited time and renewed by it. The store fences every write with
/// it, so a node that lost it cannot commit; the server asks it who should sequence and where
/// uploads go. A store only one process writes (SQLite) has none.
public protocol WriterLease: Sendable {
    /// How long a claim lasts without renewal.
    var duration: Duration { get }
    /// Whether this node holds the lease now, by its own clock (false once a renewal is overdue).
    var holds: Bool { get }
    /// Takes the lease if it is free or expired, recording `address` as where this node takes
    /// uploads; returns whether this node holds it now.
    func acquire(address: String) throws -> Bool
    /// Extends this node's claim; false when it is gone (taken over, or never held).
    func renew() throws -> Bool
    /// Gives the lease up so another node can take it at once (best effort).
    func release()
    /// Who holds the lease, as the store says.
    func holder() throws -> WriterLeaseHolder
}

/// The lease as the store has it.
public struct WriterLeaseHolder: Sendable, Equatable {
    /// The holder's node name.
    public let node: String
    /// Where the holder takes uploads; empty when it gave none.
    public let address: String
    /// The fencing token: grows by one at every change of holder.
    public let token: Int64
    /// False once the lease has expired (its holder stopped renewing).
    public let live: Bool

    public init(node: String, address: String, token: Int64, live: Bool) {
        self.node = node
        self.address = address
        self.token = token
        self.live = live
    }
}

extension ServedLogStorage {
    public var writerLease: (any WriterLease)? { nil }
}
