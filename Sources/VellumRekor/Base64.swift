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
        if let result = text.withContiguousStorageIfAvailable({ decode(buffer: $0, mode: mode) }) { return result }
        return Array(text).withUnsafeBufferPointer { decode(buffer: $0, mode: mode) }
    }

    /// One pass, four symbols to three bytes as they come (no list of symbols with their
    /// offsets: that cost a monitor's scan a tenth of its time); offsets are still those of the
    /// original input, line breaks included.
    private static func decode(buffer: UnsafeBufferPointer<UInt8>, mode: Mode) -> Result<[UInt8], DecodeError> {
        let table = mode == .goURL ? urlValues : values
        var failure: DecodeError?
        // Written through a raw buffer (no capacity check per byte); `count` is what was written.
        let out = [UInt8](unsafeUninitializedCapacity: buffer.count / 4 * 3 + 3) { output, count in
            table.withUnsafeBufferPointer { table in
                var written = 0
                var quad: UInt32 = 0
                var pending = 0
                var symbols = 0
                var padding = 0
                var firstPadding = -1
                var lastSymbol = -1
                let skipsLineBreaks = mode != .canonical
                for offset in 0..<buffer.count {
                    let byte = buffer[offset]
                    let value = table[Int(byte)]
                    if value == 0xFF {
                        if skipsLineBreaks && (byte == 0x0A || byte == 0x0D) { continue }
                        if byte == UInt8(ascii: "=") {
                            if firstPadding < 0 { firstPadding = offset }
                            padding += 1
                            continue
                        }
                        failure = DecodeError(offset: offset)
                        return
                    }
                    guard padding == 0 else {
                        failure = DecodeError(offset: offset)
                        return
                    }
                    quad = quad << 6 | UInt32(value)
                    pending += 1
                    symbols += 1
                    lastSymbol = offset
                    if pending == 4 {
                        output[written] = UInt8(truncatingIfNeeded: quad >> 16)
                        output[written + 1] = UInt8(truncatingIfNeeded: quad >> 8)
                        output[written + 2] = UInt8(truncatingIfNeeded: quad)
                        written += 3
                        quad = 0
                        pending = 0
                    }
                }
                count = written
                guard (symbols + padding) % 4 == 0, padding <= 2 else {
                    failure = DecodeError(offset: firstPadding >= 0 ? firstPadding : buffer.count)
                    return
                }
                if padding > 0 && symbols % 4 + padding != 4 {
                    failure = DecodeError(offset: firstPadding)
                    return
                }
                // Two or three symbols left (one or two padding characters): 8 or 16 bits of
                // output, and 4 or 2 unused bits that the canonical encoding keeps zero.
                var unused: UInt32 = 0
                if pending == 2 {
                    output[written] = UInt8(truncatingIfNeeded: quad >> 4)
                    unused = quad & 0xF
                    count = written + 1
                } else if pending == 3 {
                    output[written] = UInt8(truncatingIfNeeded: quad >> 10)
                    output[written + 1] = UInt8(truncatingIfNeeded: quad >> 2)
                    unused = quad & 0x3
                    count = written + 2
                }
                if mode == .canonical, unused != 0 { failure = DecodeError(offset: lastSymbol) }
            }
        }
        if let failure { return .failure(failure) }
        return .success(out)
    }

    /// The canonical decoding, or `nil`.
    static func decodeCanonical(_ text: String) -> [UInt8]? {
        try? decode(Array(text.utf8), mode: .canonical).get()
    }
}
