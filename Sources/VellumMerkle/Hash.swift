import Foundation

/// A SHA-256 digest: exactly 32 bytes, so a wrong-length hash cannot exist after parsing.
///
/// Stored inline as four words (no heap allocation), which keeps tiles (`[Hash]`) dense and
/// makes copying and comparing a hash a few machine instructions.
public struct Hash: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The number of bytes in a hash.
    public static let byteCount = 32

    @usableFromInline
    internal var words: (UInt64, UInt64, UInt64, UInt64)

    /// The all-zero hash, used as a placeholder in preallocated buffers.
    public static let zero = Hash(words: (0, 0, 0, 0))

    @inlinable
    internal init(words: (UInt64, UInt64, UInt64, UInt64)) {
        self.words = words
    }

    /// Copies 32 bytes from `pointer`.
    @inlinable
    public init(copying pointer: UnsafeRawPointer) {
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: UnsafeRawBufferPointer(start: pointer, count: 32)) }
        self.words = words
    }

    /// Fills a hash by letting `body` write exactly 32 bytes.
    @inlinable
    public init(writing body: (UnsafeMutablePointer<UInt8>) throws -> Void) rethrows {
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        try withUnsafeMutableBytes(of: &words) { try body($0.baseAddress!.assumingMemoryBound(to: UInt8.self)) }
        self.words = words
    }

    /// Parses a hash from bytes; `nil` unless there are exactly 32.
    /// (Inlinable, so callers in other modules get it specialized: unspecialized, it looked
    /// up tuple metadata at run time for every hash read from the store.)
    @inlinable
    public init?(_ bytes: some Collection<UInt8>) {
        guard bytes.count == Hash.byteCount else { return nil }
        if let hash = bytes.withContiguousStorageIfAvailable({ Hash(copying: $0.baseAddress!) }) {
            self = hash
            return
        }
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &words) { buffer in
            var offset = 0
            for byte in bytes {
                buffer[offset] = byte
                offset += 1
            }
        }
        self.words = words
    }

    /// Parses standard padded base64 of exactly 32 bytes; `nil` for anything else, including
    /// unpadded or non-canonical encodings.
    public init?(base64 text: some StringProtocol) {
        guard let data = Data(base64Encoded: String(text)), let hash = Hash(data),
              hash.base64 == text else { return nil }
        self = hash
    }

    /// Parses 64 lowercase or uppercase hex digits.
    public init?(hex text: some StringProtocol) {
        guard text.utf8.count == 64 else { return nil }
        var bytes = [UInt8]()
        bytes.reserveCapacity(32)
        var iterator = text.utf8.makeIterator()
        while let high = iterator.next(), let low = iterator.next() {
            guard let h = hexValue(high), let l = hexValue(low) else { return nil }
            bytes.append(h << 4 | l)
        }
        self.init(bytes)
    }

    /// Calls `body` with the 32 bytes of the hash.
    @inlinable
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try Swift.withUnsafeBytes(of: words) { try body($0) }
    }

    /// The 32 bytes as an array.
    public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

    /// The 32 bytes as `Data`.
    public var data: Data { withUnsafeBytes { Data($0) } }

    /// Standard padded base64 (44 characters), as used in checkpoints and JSON.
    public var base64: String { data.base64EncodedString() }

    /// Lowercase hex (64 characters).
    public var hex: String {
        withUnsafeBytes { buffer in
            let digits = Array("0123456789abcdef".utf8)
            var out = [UInt8]()
            out.reserveCapacity(64)
            for byte in buffer {
                out.append(digits[Int(byte >> 4)])
                out.append(digits[Int(byte & 0x0f)])
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    public var description: String { hex }

    @inlinable
    public static func == (lhs: Hash, rhs: Hash) -> Bool {
        lhs.words.0 == rhs.words.0 && lhs.words.1 == rhs.words.1
            && lhs.words.2 == rhs.words.2 && lhs.words.3 == rhs.words.3
    }

    /// Feeds only the first 8 bytes: a digest's bytes are already uniform, and the hasher's
    /// per-process seed still scrambles them, so the other 24 add cost (the writer hashes
    /// several identities per entry) and no spread. Equality still compares all 32.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
    }

    /// Byte-wise (lexicographic) order, compared a word at a time: the words hold the bytes
    /// in memory order, so read big-endian they order as the bytes do. (The index tails sort
    /// 64Ki identities at once; byte-wise comparison made that a 15 ms stall of the writer.)
    @inlinable
    public static func < (lhs: Hash, rhs: Hash) -> Bool {
        let l = lhs.words, r = rhs.words
        if l.0 != r.0 { return UInt64(bigEndian: l.0) < UInt64(bigEndian: r.0) }
        if l.1 != r.1 { return UInt64(bigEndian: l.1) < UInt64(bigEndian: r.1) }
        if l.2 != r.2 { return UInt64(bigEndian: l.2) < UInt64(bigEndian: r.2) }
        return UInt64(bigEndian: l.3) < UInt64(bigEndian: r.3)
    }
}

private func hexValue(_ c: UInt8) -> UInt8? {
    switch c {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
    default: return nil
    }
}

extension Array where Element == Hash {
    /// The hashes concatenated, 32 bytes each: the wire and storage form of a tile.
    public var concatenatedBytes: Data {
        withUnsafeBytes { Data($0) }
    }

    /// Splits `data` into hashes; `nil` unless its length is a multiple of 32.
    public init?(concatenated data: some DataProtocol) {
        guard data.count % Hash.byteCount == 0 else { return nil }
        let bytes = Array<UInt8>(data)
        self = stride(from: 0, to: bytes.count, by: Hash.byteCount).map { offset in
            bytes.withUnsafeBytes { Hash(copying: $0.baseAddress! + offset) }
        }
    }
}
