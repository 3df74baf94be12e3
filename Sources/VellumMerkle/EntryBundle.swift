/// A C2SP tlog-tiles entry bundle: up to 256 entries, each a big-endian uint16 length followed
/// by that many bytes (spec notes §1.4). Entry k of bundle N hashes to hash k of level-0 tile N.
public struct EntryBundle: Hashable, Sendable {
    /// The longest entry a bundle can carry.
    public static let maxEntryLength = Int(UInt16.max)

    public var entries: [[UInt8]]

    public init(entries: [[UInt8]]) {
        self.entries = entries
    }

    /// Parses bundle bytes; every byte must belong to a complete entry.
    public init(parsing bytes: some Collection<UInt8>) throws(EntryBundleError) {
        let data = Array(bytes)
        entries = try Self.entryRanges(in: data).map { Array(data[$0]) }
    }

    /// Where each entry of `bytes[start...]` lies in `bytes`, in order, without copying any;
    /// every byte from `start` on must belong to a complete entry, and there may be at most
    /// 256 of them.
    public static func entryRanges(in bytes: [UInt8], from start: Int = 0) throws(EntryBundleError) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var offset = start
        while offset < bytes.count {
            guard offset + 2 <= bytes.count else { throw .truncatedLength(offset: offset) }
            let length = Int(bytes[offset]) << 8 | Int(bytes[offset + 1])
            offset += 2
            guard offset + length <= bytes.count else {
                throw .truncatedEntry(offset: offset, declared: length, available: bytes.count - offset)
            }
            ranges.append(offset..<offset + length)
            offset += length
        }
        guard ranges.count <= TilePath.fullWidth else { throw .tooManyEntries(count: ranges.count) }
        return ranges
    }

    /// The bundle bytes.
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(entries.reduce(0) { $0 + 2 + $1.count })
        for entry in entries { EntryBundle.append(entry, to: &out) }
        return out
    }

    /// Entry `position` of bundle bytes, found by skipping the entries before it without
    /// copying them; nil when the bundle holds fewer entries. Malformed bytes before or at the
    /// entry throw, as `init(parsing:)` would.
    public static func entry(at position: Int, in bytes: [UInt8]) throws(EntryBundleError) -> ArraySlice<UInt8>? {
        var offset = 0
        for current in 0...position {
            guard offset < bytes.count else { return nil }
            guard offset + 2 <= bytes.count else { throw .truncatedLength(offset: offset) }
            let length = Int(bytes[offset]) << 8 | Int(bytes[offset + 1])
            offset += 2
            guard offset + length <= bytes.count else {
                throw .truncatedEntry(offset: offset, declared: length, available: bytes.count - offset)
            }
            if current == position { return bytes[offset..<offset + length] }
            offset += length
        }
        return nil
    }

    /// The byte offset just past the first `count` entries of bundle bytes (a partial bundle is
    /// a prefix of the fuller one); nil when the bundle holds fewer entries.
    public static func end(ofFirst count: Int, in bytes: [UInt8]) throws(EntryBundleError) -> Int? {
        if count == 0 { return 0 }
        guard let last = try entry(at: count - 1, in: bytes) else { return nil }
        return last.endIndex
    }

    /// Appends one length-prefixed entry to bundle bytes. The caller checks the length first
    /// (entries longer than `maxEntryLength` cannot be represented).
    @inlinable
    public static func append(_ entry: some Collection<UInt8>, to bundle: inout [UInt8]) {
        precondition(entry.count <= maxEntryLength, "entry of \(entry.count) bytes exceeds the bundle limit")
        bundle.append(UInt8(truncatingIfNeeded: entry.count >> 8))
        bundle.append(UInt8(truncatingIfNeeded: entry.count))
        bundle.append(contentsOf: entry)
    }
}

/// Why entry-bundle bytes were refused.
public enum EntryBundleError: Error, Hashable, Sendable, CustomStringConvertible {
    case truncatedLength(offset: Int)
    case truncatedEntry(offset: Int, declared: Int, available: Int)
    case tooManyEntries(count: Int)

    public var description: String {
        switch self {
        case .truncatedLength(let offset):
            return "entry bundle ends inside a length prefix at byte \(offset)"
        case .truncatedEntry(let offset, let declared, let available):
            return "entry at byte \(offset) declares \(declared) bytes but only \(available) remain"
        case .tooManyEntries(let count):
            return "entry bundle holds \(count) entries; at most 256 are allowed"
        }
    }
}
