/// Why ``JSONValue/parse(_:maxDepth:)`` rejected a document, and where.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The rule of RFC 8259 (or of our stricter reading of it) that the input broke.
    public enum Reason: Sendable, Equatable {
        /// The input ended inside a value (or was empty).
        case unexpectedEnd
        /// A byte that cannot start or continue a value here; `expected` says what could.
        case unexpectedByte(UInt8, expected: String)
        /// Something other than whitespace follows the top-level value.
        case trailingData
        /// A string holds bytes that are not well-formed UTF-8 (RFC 3629).
        case invalidUTF8
        /// A raw control character (below U+0020) inside a string; it must be escaped.
        case unescapedControlCharacter(UInt8)
        /// A backslash followed by something other than `" \ / b f n r t u`.
        case invalidEscape(UInt8)
        /// `\u` not followed by four hex digits.
        case invalidUnicodeEscape
        /// A `\uD800`–`\uDFFF` escape that is not half of a high-low surrogate pair.
        case unpairedSurrogate(UInt16)
        /// An integer part with a leading zero (`01`, `-00`).
        case leadingZero
        /// A digit is required here (after `-`, `.`, or an exponent marker).
        case digitExpected
        /// A number too large in magnitude for a double (e.g. `1e400`).
        case numberOutOfRange
        /// The same key twice in one object.
        case duplicateKey(String)
        /// Arrays and objects nested deeper than the limit.
        case tooDeep(limit: Int)
    }

    /// The byte offset (0-based) where the problem was found.
    public let offset: Int
    /// What was wrong.
    public let reason: Reason

    public init(offset: Int, reason: Reason) {
        self.offset = offset
        self.reason = reason
    }

    public var description: String { "\(reasonText) at byte offset \(offset)" }

    /// The reason in words.
    public var reasonText: String {
        switch reason {
        case .unexpectedEnd:
            return "unexpected end of JSON input"
        case .unexpectedByte(let byte, let expected):
            return "invalid character \(Self.show(byte)), expected \(expected)"
        case .trailingData:
            return "invalid data after the top-level value"
        case .invalidUTF8:
            return "invalid UTF-8 in string"
        case .unescapedControlCharacter(let byte):
            return "unescaped control character \(Self.show(byte)) in string"
        case .invalidEscape(let byte):
            return "invalid escape \\\(Self.printable(byte)) in string"
        case .invalidUnicodeEscape:
            return "\\u must be followed by four hex digits"
        case .unpairedSurrogate(let unit):
            return "unpaired UTF-16 surrogate \\u\(String(unit, radix: 16, uppercase: false))"
        case .leadingZero:
            return "number with a leading zero"
        case .digitExpected:
            return "digit expected in number"
        case .numberOutOfRange:
            return "number out of range"
        case .duplicateKey(let key):
            return "duplicate key \"\(key)\""
        case .tooDeep(let limit):
            return "nesting deeper than \(limit) levels"
        }
    }

    private static func show(_ byte: UInt8) -> String {
        (0x20..<0x7f).contains(byte) ? "'\(printable(byte))'" : "0x" + String(byte, radix: 16)
    }

    private static func printable(_ byte: UInt8) -> String {
        (0x20..<0x7f).contains(byte) ? String(UnicodeScalar(byte)) : "0x" + String(byte, radix: 16)
    }
}

extension JSONParseError: RekorAPIErrorConvertible {
    /// 400, worded like go-openapi's body parse failure
    /// (`parsing <param> body from "" failed, because …`), with the offset.
    public var apiError: RekorAPIError {
        RekorAPIError(status: 400, message: "parsing request body failed, because \(description)")
    }
}
