import VellumMerkle

/// Appends JSON text to a byte buffer: the server's responses are small fixed shapes, built
/// directly (keys in Rekor's order) instead of through a general encoder.
struct JSONBuilder {
    var bytes: [UInt8] = []

    init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

    /// Structural text written as is (`{"key":`, `,`, `]`…); the caller keeps it valid.
    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Text known to need no escaping (hex, base64, decimal digits).
    mutating func plain(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    /// A JSON string: quotes, backslashes and control characters escaped (RFC 8259 §7; the
    /// RFC 8785 forms: \b \t \n \f \r, otherwise \u00xx in lowercase hex).
    mutating func string(_ text: String) {
        bytes.append(0x22)
        for byte in text.utf8 {
            switch byte {
            case 0x22: bytes.append(contentsOf: [0x5C, 0x22])
            case 0x5C: bytes.append(contentsOf: [0x5C, 0x5C])
            case 0x08: bytes.append(contentsOf: [0x5C, 0x62])
            case 0x09: bytes.append(contentsOf: [0x5C, 0x74])
            case 0x0A: bytes.append(contentsOf: [0x5C, 0x6E])
            case 0x0C: bytes.append(contentsOf: [0x5C, 0x66])
            case 0x0D: bytes.append(contentsOf: [0x5C, 0x72])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: bytes.append(byte)
            }
        }
        bytes.append(0x22)
    }

    mutating func number(_ value: some BinaryInteger) {
        bytes.append(contentsOf: String(value).utf8)
    }

    /// `[“hex”, …]` of hashes.
    mutating func hexArray(_ hashes: [Hash]) {
        raw("[")
        for (position, hash) in hashes.enumerated() {
            if position > 0 { raw(",") }
            raw("\""); plain(hash.hex); raw("\"")
        }
        raw("]")
    }
}
