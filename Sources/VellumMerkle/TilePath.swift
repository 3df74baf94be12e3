/// A C2SP tlog-tiles resource path: `tile/<L>/<N>[.p/<W>]` for hash tiles and
/// `tile/entries/<N>[.p/<W>]` for entry bundles (spec notes §1.2). Paths always use the C2SP
/// tile height of 8, so a full tile has width 256 and only widths 1...255 carry `.p/<W>`.
///
/// `<N>` is written in groups of three digits, most significant first, every group but the last
/// prefixed with `x` (1234067 → `x001/x234/067`). Parsing is canonical: a path is accepted only
/// if encoding what was parsed gives back the same text, so leading zeros, `x000` groups,
/// `.p/0`, `.p/256`, levels above 63 and misplaced `x` are all rejected.
public struct TilePath: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        /// A hash tile at tile level 0...63.
        case hashes(level: UInt8)
        /// An entry bundle (the entries whose leaf hashes make up level-0 tile N).
        case entries
    }

    /// The full width of a C2SP tile or bundle.
    public static let fullWidth = 256

    public var kind: Kind
    public var index: UInt64
    /// 1...256; 256 is a full tile (no `.p/` suffix).
    public var width: Int

    /// A path for a hash tile.
    public init(level: UInt8, index: UInt64, width: Int = TilePath.fullWidth) throws(TilePathError) {
        guard level <= 63 else { throw .levelOutOfRange(level: Int(level)) }
        guard (1...TilePath.fullWidth).contains(width) else { throw .widthOutOfRange(width: width) }
        self.kind = .hashes(level: level)
        self.index = index
        self.width = width
    }

    /// A path for an entry bundle.
    public init(entryBundle index: UInt64, width: Int = TilePath.fullWidth) throws(TilePathError) {
        guard (1...TilePath.fullWidth).contains(width) else { throw .widthOutOfRange(width: width) }
        self.kind = .entries
        self.index = index
        self.width = width
    }

    /// The path of the hash tile at `address` (tile height 8).
    public init(address: TileAddress) throws(TilePathError) {
        try self.init(level: address.id.level, index: address.id.index, width: address.width)
    }

    /// The bundle that holds entry `entryIndex` in a tree of `treeSize` (partial if the tree
    /// ends inside it).
    public init(entryIndex: UInt64, treeSize: UInt64) throws(TilePathError) {
        guard entryIndex < treeSize else { throw .entryBeyondTree(index: entryIndex, size: treeSize) }
        let bundle = entryIndex / UInt64(TilePath.fullWidth)
        let width = min(UInt64(TilePath.fullWidth), treeSize - bundle * UInt64(TilePath.fullWidth))
        try self.init(entryBundle: bundle, width: Int(width))
    }

    /// Parses a path such as `tile/0/x001/234.p/5` or `tile/entries/000`, canonically.
    public init(parsing path: some StringProtocol) throws(TilePathError) {
        let text = String(path)
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 3, parts[0] == "tile" else { throw .malformed(path: text, reason: "must start with tile/") }
        let kind: Kind
        if parts[1] == "entries" {
            kind = .entries
        } else {
            guard let level = parseDecimal(parts[1], limit: 63) else {
                throw .malformed(path: text, reason: "level must be a decimal 0...63 without leading zeros")
            }
            kind = .hashes(level: UInt8(level))
        }
        var rest = Array(parts[2...])
        var width = TilePath.fullWidth
        // A partial tile ends in `<last group>.p/<W>`.
        if rest.count >= 2, rest[rest.count - 2].hasSuffix(".p") {
            guard let w = parseDecimal(rest[rest.count - 1], limit: 255), w >= 1 else {
                throw .malformed(path: text, reason: "partial width must be a decimal 1...255")
            }
            width = Int(w)
            rest.removeLast()
            rest[rest.count - 1] = rest[rest.count - 1].dropLast(2)
        }
        var index: UInt64 = 0
        for (position, group) in rest.enumerated() {
            let isLast = position == rest.count - 1
            var digits = Substring(group)
            if !isLast {
                guard digits.first == "x" else { throw .malformed(path: text, reason: "every index group but the last starts with x") }
                digits = digits.dropFirst()
            }
            guard digits.utf8.count == 3, digits.utf8.allSatisfy({ (48...57).contains($0) }) else {
                throw .malformed(path: text, reason: "index groups are three digits (xNNN/…/NNN)")
            }
            let (scaled, o1) = index.multipliedReportingOverflow(by: 1000)
            let (sum, o2) = scaled.addingReportingOverflow(UInt64(digits)!)
            guard !o1, !o2 else { throw .malformed(path: text, reason: "index exceeds 2^64 - 1") }
            index = sum
        }
        self.kind = kind
        self.index = index
        self.width = width
        guard description == text else {
            throw .noncanonical(path: text, canonical: description)
        }
    }

    /// The encoded path, e.g. `tile/1/x001/234.p/17`.
    public var description: String {
        var groups: [String] = []
        var n = index
        repeat {
            let group = String(n % 1000)
            groups.append(String(repeating: "0", count: 3 - group.count) + group)
            n /= 1000
        } while n > 0
        let encodedIndex = groups.reversed().enumerated()
            .map { $0.offset == groups.count - 1 ? $0.element : "x" + $0.element }
            .joined(separator: "/")
        let prefix: String
        switch kind {
        case .hashes(let level): prefix = "tile/\(level)/"
        case .entries: prefix = "tile/entries/"
        }
        return prefix + encodedIndex + (width == TilePath.fullWidth ? "" : ".p/\(width)")
    }

    /// True for a partial tile or bundle (`.p/<W>`).
    public var isPartial: Bool { width < TilePath.fullWidth }
}

/// Why a tile path was refused.
public enum TilePathError: Error, Hashable, Sendable, CustomStringConvertible {
    case malformed(path: String, reason: String)
    case noncanonical(path: String, canonical: String)
    case levelOutOfRange(level: Int)
    case widthOutOfRange(width: Int)
    case entryBeyondTree(index: UInt64, size: UInt64)

    public var description: String {
        switch self {
        case .malformed(let path, let reason): return "malformed tile path \"\(path)\": \(reason)"
        case .noncanonical(let path, let canonical): return "non-canonical tile path \"\(path)\": write it as \"\(canonical)\""
        case .levelOutOfRange(let level): return "tile level \(level) is out of range: levels are 0...63"
        case .widthOutOfRange(let width): return "tile width \(width) is out of range: widths are 1...256"
        case .entryBeyondTree(let index, let size): return "entry \(index) is beyond the tree of size \(size)"
        }
    }
}

/// A decimal without sign or leading zeros, at most `limit`.
private func parseDecimal(_ text: Substring, limit: UInt64) -> UInt64? {
    guard !text.isEmpty, text.utf8.count <= 20, text.utf8.allSatisfy({ (48...57).contains($0) }),
          text == "0" || text.first != "0", let value = UInt64(text), value <= limit else { return nil }
    return value
}
