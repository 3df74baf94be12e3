import VellumMerkle

/// An entry's ID: the tree (shard) ID as 16 hex digits, then the 64-hex UUID (= leaf hash)
/// (rekor-v1.md §5.4), e.g. `108e9186e8c5677a` + `…`. Responses always use the 80-character
/// form; requests may also name an entry by its bare 64-hex UUID, which leaves ``treeID`` `nil`
/// (look in every tree, rekor-v1.md §1.6).
///
/// Parsing accepts upper- and lowercase hex, as Rekor's path pattern does, and normalises: the
/// parsed value prints in lowercase, which is the form used as the response map key.
public struct EntryID: Sendable, Hashable, CustomStringConvertible {
    /// The tree the entry is in, or `nil` for a bare UUID. Rekor's trees have positive IDs;
    /// an ID naming tree 0 is well-formed and names no entry.
    public let treeID: Int64?
    /// The entry UUID: the Merkle leaf hash of its canonical body.
    public let uuid: Hash

    /// The ID of an entry in tree `treeID` (not negative).
    public init(treeID: Int64, uuid: Hash) {
        precondition(treeID >= 0, "tree IDs are not negative")
        self.treeID = treeID
        self.uuid = uuid
    }

    /// A bare UUID, not tied to a tree.
    public init(uuid: Hash) {
        self.treeID = nil
        self.uuid = uuid
    }

    /// 80 lowercase hex characters (`%016x` tree ID + UUID), or 64 for a bare UUID.
    public var hex: String {
        guard let treeID else { return uuid.hex }
        var tree = String(UInt64(treeID), radix: 16)
        tree = String(repeating: "0", count: 16 - tree.count) + tree
        return tree + uuid.hex
    }

    public var description: String { hex }

    /// The tree ID as the 16 hex digits used in entry IDs.
    public static func treeIDHex(_ treeID: Int64) -> String {
        EntryID(treeID: treeID, uuid: .zero).hex.prefix(16).description
    }

    /// Parses 64 or 80 hex characters; `nil` for anything else, including a tree part above
    /// `Int64.max`. Use ``parse(_:)`` to learn which rule failed.
    public init?(hex text: some StringProtocol) {
        guard let id = try? Self.parse(text) else { return nil }
        self = id
    }

    /// Parses 64 or 80 hex characters, throwing ``RekorRequestError/entryIDPattern(_:)`` (422)
    /// when the text does not match `^([0-9a-fA-F]{64}|[0-9a-fA-F]{80})$` and
    /// ``RekorRequestError/invalidTreeID(_:)`` (400) when the tree part overflows an `Int64`, as
    /// Rekor does. Tree 0 parses (Rekor answers it with a 500; no tree has that ID, so here it
    /// finds nothing: 404 on a GET, no result in a retrieve), so that the OpenAPI pattern
    /// `^([0-9a-fA-F]{64}|[0-7][0-9a-fA-F]{79})$` says exactly which IDs are accepted.
    public static func parse(_ text: some StringProtocol) throws(RekorRequestError) -> EntryID {
        let string = String(text)
        let utf8 = Array(string.utf8)
        guard utf8.count == 64 || utf8.count == 80, utf8.allSatisfy(Self.isHexDigit) else {
            throw .entryIDPattern(string)
        }
        guard utf8.count == 80 else { return EntryID(uuid: Hash(hex: string)!) }
        let treeHex = String(decoding: utf8[..<16], as: UTF8.self)
        guard let tree = UInt64(treeHex, radix: 16), tree <= UInt64(Int64.max) else {
            throw .invalidTreeID(string)
        }
        return EntryID(treeID: Int64(tree), uuid: Hash(hex: String(decoding: utf8[16...], as: UTF8.self))!)
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x46).contains(byte) || (0x61...0x66).contains(byte)
    }
}
