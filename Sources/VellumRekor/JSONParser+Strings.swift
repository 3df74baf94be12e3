extension JSONParser {
    /// Reads a string starting at its opening quote; validates UTF-8 (RFC 3629 §4 table) and
    /// escapes (RFC 8259 §7), including surrogate pairing.
    mutating func parseString() throws(JSONParseError) -> String {
        offset += 1  // opening quote
        let start = offset
        // Fast path: plain printable ASCII up to the closing quote needs no copying buffer.
        while let byte = peek(), byte >= 0x20, byte < 0x80, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") {
            offset += 1
        }
        if peek() == UInt8(ascii: "\"") {
            let string = makeString(from: start, to: offset)
            offset += 1
            return string
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(offset - start + 16)
        for index in start..<offset { bytes.append(byte(at: index)!) }
        while true {
            guard let byte = peek() else { throw fail(.unexpectedEnd) }
            switch byte {
            case UInt8(ascii: "\""):
                offset += 1
                return String(decoding: bytes, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try parseEscape(into: &bytes)
            case 0..<0x20:
                throw fail(.unescapedControlCharacter(byte))
            case 0x20..<0x80:
                bytes.append(byte)
                offset += 1
            default:
                try copyMultibyteSequence(into: &bytes)
            }
        }
    }

    private func makeString(from start: Int, to end: Int) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(end - start)
        for index in start..<end { bytes.append(byte(at: index)!) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Copies one well-formed multi-byte UTF-8 sequence (RFC 3629 §4).
    private mutating func copyMultibyteSequence(into bytes: inout [UInt8]) throws(JSONParseError) {
        let lead = peek()!
        let length: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; secondRange = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; secondRange = 0x80...0x9F  // no encoded surrogates
        case 0xF0: length = 4; secondRange = 0x90...0xBF
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; secondRange = 0x80...0x8F  // nothing above U+10FFFF
        default: throw fail(.invalidUTF8)
        }
        for index in 1..<length {
            guard let continuation = byte(at: offset + index) else { throw fail(.unexpectedEnd) }
            let allowed = index == 1 ? secondRange : 0x80...0xBF
            guard allowed.contains(continuation) else { throw fail(.invalidUTF8) }
        }
        for index in 0..<length { bytes.append(byte(at: offset + index)!) }
        offset += length
    }

    /// Decodes one escape sequence starting at its backslash.
    private mutating func parseEscape(into bytes: inout [UInt8]) throws(JSONParseError) {
        guard let code = byte(at: offset + 1) else { offset += 1; throw fail(.unexpectedEnd) }
        let simple: UInt8?
        switch code {
        case UInt8(ascii: "\""): simple = 0x22
        case UInt8(ascii: "\\"): simple = 0x5C
        case UInt8(ascii: "/"): simple = 0x2F
        case UInt8(ascii: "b"): simple = 0x08
        case UInt8(ascii: "f"): simple = 0x0C
        case UInt8(ascii: "n"): simple = 0x0A
        case UInt8(ascii: "r"): simple = 0x0D
        case UInt8(ascii: "t"): simple = 0x09
        case UInt8(ascii: "u"): simple = nil
        default: throw fail(.invalidEscape(code))
        }
        if let simple {
            bytes.append(simple)
            offset += 2
            return
        }
        let escapeStart = offset
        let unit = try readHexUnit(at: offset + 2)
        offset += 6
        var scalarValue = UInt32(unit)
        switch unit {
        case 0xD800...0xDBFF:
            // A high surrogate must be followed at once by an escaped low surrogate.
            guard byte(at: offset) == UInt8(ascii: "\\"), byte(at: offset + 1) == UInt8(ascii: "u"),
                  let low = try? readHexUnit(at: offset + 2), (0xDC00...0xDFFF).contains(low)
            else {
                throw JSONParseError(offset: escapeStart, reason: .unpairedSurrogate(unit))
            }
            offset += 6
            scalarValue = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
        case 0xDC00...0xDFFF:
            throw JSONParseError(offset: escapeStart, reason: .unpairedSurrogate(unit))
        default:
            break
        }
        bytes.append(contentsOf: UTF8.encode(Unicode.Scalar(scalarValue)!)!)
    }

    /// Four hex digits at `start` as a UTF-16 code unit.
    private func readHexUnit(at start: Int) throws(JSONParseError) -> UInt16 {
        var value: UInt16 = 0
        for index in start..<(start + 4) {
            guard let digit = byte(at: index) else {
                throw JSONParseError(offset: min(index, inputCount), reason: .unexpectedEnd)
            }
            let nibble: UInt8
            switch digit {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = digit - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = digit - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = digit - UInt8(ascii: "A") + 10
            default: throw JSONParseError(offset: index, reason: .invalidUnicodeEscape)
            }
            value = value << 4 | UInt16(nibble)
        }
        return value
    }
}
