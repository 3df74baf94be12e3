/// Appends compact JSON to a byte buffer: the server's own responses (LogEntry maps, error
/// bodies, ID lists) without building a ``JSONValue`` first.
///
/// Commas are inserted automatically. Strings are escaped exactly as RFC 8785 does (only `"`,
/// `\` and controls below U+0020), so an object whose keys are written in sorted order and whose
/// numbers are integers up to 2^53 comes out byte-identical to its canonical form.
///
/// ```swift
/// var writer = JSONWriter()
/// writer.beginObject()
/// writer.key("logIndex"); writer.integer(5)
/// writer.endObject()
/// // writer.bytes == Array(#"{"logIndex":5}"#.utf8)
/// ```
public struct JSONWriter: Sendable {
    /// The JSON written so far.
    public private(set) var bytes: [UInt8]
    /// One entry per open container: whether it already holds a value (so the next needs a comma).
    private var hasValue: [Bool] = []
    /// Set after `key(_:)`: the next value completes a member and needs no comma.
    private var afterKey = false

    /// A writer with `capacity` bytes reserved.
    public init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    public mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        hasValue.append(false)
    }

    public mutating func endObject() {
        hasValue.removeLast()
        bytes.append(UInt8(ascii: "}"))
    }

    public mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        hasValue.append(false)
    }

    public mutating func endArray() {
        hasValue.removeLast()
        bytes.append(UInt8(ascii: "]"))
    }

    /// Writes an object key and the colon; the next call writes its value.
    public mutating func key(_ key: String) {
        separate()
        Self.appendQuoted(key, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        afterKey = true
    }

    public mutating func string(_ value: String) {
        separate()
        Self.appendQuoted(value, to: &bytes)
    }

    /// Writes the base64 of `bytes` as a string (base64 needs no escaping).
    public mutating func base64String(_ bytes: some Collection<UInt8>) {
        separate()
        self.bytes.append(UInt8(ascii: "\""))
        Base64.append(bytes, to: &self.bytes)
        self.bytes.append(UInt8(ascii: "\""))
    }

    /// Writes the lowercase hex of `bytes` as a string.
    public mutating func hexString(_ bytes: UnsafeRawBufferPointer) {
        separate()
        self.bytes.append(UInt8(ascii: "\""))
        for byte in bytes {
            self.bytes.append(Self.hexDigits[Int(byte >> 4)])
            self.bytes.append(Self.hexDigits[Int(byte & 0x0F)])
        }
        self.bytes.append(UInt8(ascii: "\""))
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    public mutating func integer(_ value: Int64) {
        separate()
        bytes.append(contentsOf: String(value).utf8)
    }

    public mutating func bool(_ value: Bool) {
        separate()
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    public mutating func null() {
        separate()
        bytes.append(contentsOf: "null".utf8)
    }

    /// Writes `value` in its RFC 8785 canonical form.
    public mutating func value(_ value: JSONValue) {
        separate()
        value.appendCanonical(to: &bytes)
    }

    /// Writes already-serialized JSON verbatim (the caller vouches for it).
    public mutating func raw(_ json: some Sequence<UInt8>) {
        separate()
        bytes.append(contentsOf: json)
    }

    private mutating func separate() {
        if afterKey {
            afterKey = false
            return
        }
        guard !hasValue.isEmpty else { return }
        if hasValue[hasValue.count - 1] { bytes.append(UInt8(ascii: ",")) }
        hasValue[hasValue.count - 1] = true
    }

    /// Appends `string` in quotes, escaped per RFC 8785 §3.2.2.2: `\"`, `\\`, the five short
    /// escapes `\b \t \n \f \r`, `\u00xx` (lowercase hex) for other controls, all else literal.
    static func appendQuoted(_ string: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { utf8 in
            // Runs of bytes that need no escape are copied in one go (base64 bodies, hex, PEM).
            var runStart = 0
            for position in 0..<utf8.count {
                let byte = utf8[position]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<position]))
                appendEscape(byte, to: &bytes)
                runStart = position + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private static func appendEscape(_ byte: UInt8, to bytes: inout [UInt8]) {
        switch byte {
        case UInt8(ascii: "\""): bytes.append(contentsOf: [0x5C, 0x22])
        case UInt8(ascii: "\\"): bytes.append(contentsOf: [0x5C, 0x5C])
        case 0x08: bytes.append(contentsOf: [0x5C, UInt8(ascii: "b")])
        case 0x09: bytes.append(contentsOf: [0x5C, UInt8(ascii: "t")])
        case 0x0A: bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
        case 0x0C: bytes.append(contentsOf: [0x5C, UInt8(ascii: "f")])
        case 0x0D: bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
        default:
            let digits = Array("0123456789abcdef".utf8)
            bytes.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
        }
    }
}
