/// Standard base64 with padding (RFC 4648 §4), as Rekor's JSON uses it (Go `StdEncoding`).
enum Base64 {
    /// Why a decode failed: the offset of the first offending input byte.
    struct DecodeError: Error, Equatable {
        let offset: Int
    }

    /// How strictly to read.
    enum Mode {
        /// Exactly the canonical encoding: no whitespace, padding present, unused bits zero.
        /// Used for JSON `content` fields, so that every accepted value re-encodes to itself.
        case canonical
        /// Go's `StdEncoding.Decode` (as `encoding/pem` and Rekor's decoders use it): CR and LF
        /// skipped, padding required, unused trailing bits ignored.
        case goStd
        /// Go's `URLEncoding.Decode`: the same with `-` and `_` for `+` and `/`.
        case goURL
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    private static let values = decodingTable(alphabet)
    private static let urlValues = decodingTable(Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8))

    private static func decodingTable(_ alphabet: [UInt8]) -> [UInt8] {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(index) }
        return table
    }

    /// Standard padded base64 of `bytes`.
    static func encode(_ bytes: some Collection<UInt8>) -> String {
        String(decoding: encodeBytes(bytes), as: UTF8.self)
    }

    /// Standard padded base64 of `bytes`, as ASCII bytes.
    static func encodeBytes(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        append(bytes, to: &out)
        return out
    }

    /// Appends the standard padded base64 of `bytes` to `out`, written in place (response
    /// bodies carry ~1 KiB of it per entry).
    static func append(_ bytes: some Collection<UInt8>, to out: inout [UInt8]) {
        let encodedCount = (bytes.count + 2) / 3 * 4
        let write = { (input: UnsafeBufferPointer<UInt8>) in
            out.append(contentsOf: repeatElement(0, count: encodedCount))
            out.withUnsafeMutableBufferPointer { whole in
                alphabet.withUnsafeBufferPointer { alphabet in
                    var at = whole.count - encodedCount
                    var index = 0
                    while index + 3 <= input.count {
                        let chunk = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8 | UInt32(input[index + 2])
                        whole[at] = alphabet[Int(chunk >> 18)]
                        whole[at + 1] = alphabet[Int(chunk >> 12 & 63)]
                        whole[at + 2] = alphabet[Int(chunk >> 6 & 63)]
                        whole[at + 3] = alphabet[Int(chunk & 63)]
                        index += 3
                        at += 4
                    }
                    let rest = input.count - index
                    guard rest > 0 else { return }
                    let chunk = UInt32(input[index]) << 16 | (rest == 2 ? UInt32(input[index + 1]) << 8 : 0)
                    whole[at] = alphabet[Int(chunk >> 18)]
                    whole[at + 1] = alphabet[Int(chunk >> 12 & 63)]
                    whole[at + 2] = rest == 2 ? alphabet[Int(chunk >> 6 & 63)] : 0x3D
                    whole[at + 3] = 0x3D
                }
            }
        }
        if let done: Void = bytes.withContiguousStorageIfAvailable(write) { return done }
        Array(bytes).withUnsafeBufferPointer(write)
    }

    /// Decodes `text`; the error names the first byte that breaks the rules of `mode`.
    static func decode(_ text: some Collection<UInt8>, mode: Mode) -> Result<[UInt8], DecodeError> {
        // Positions are kept so that errors point into the original input.
        var symbols: [(value: UInt8, offset: Int)] = []
        symbols.reserveCapacity(text.count)
        var padding: [Int] = []
        let table = mode == .goURL ? urlValues : values
        for (offset, byte) in text.enumerated() {
            if mode != .canonical && (byte == 0x0A || byte == 0x0D) { continue }
            if byte == UInt8(ascii: "=") {
                padding.append(offset)
                continue
            }
            let value = table[Int(byte)]
            guard value != 0xFF, padding.isEmpty else { return .failure(DecodeError(offset: offset)) }
            symbols.append((value, offset))
        }
        let total = symbols.count + padding.count
        guard total % 4 == 0, padding.count <= 2 else {
            return .failure(DecodeError(offset: padding.first ?? text.count))
        }
        if !padding.isEmpty && symbols.count % 4 + padding.count != 4 {
            return .failure(DecodeError(offset: padding[0]))
        }
        var out: [UInt8] = []
        out.reserveCapacity(symbols.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for symbol in symbols {
            accumulator = accumulator << 6 | UInt32(symbol.value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
                accumulator &= (1 << UInt32(bits)) - 1
            }
        }
        if mode == .canonical, accumulator != 0, let last = symbols.last {
            return .failure(DecodeError(offset: last.offset))  // non-zero unused bits
        }
        return .success(out)
    }

    /// The canonical decoding, or `nil`.
    static func decodeCanonical(_ text: String) -> [UInt8]? {
        try? decode(Array(text.utf8), mode: .canonical).get()
    }
}
