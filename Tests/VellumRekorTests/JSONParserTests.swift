import Testing
import VellumRekor

@Suite struct JSONParserTests {
    /// A document that must parse, and the value it must give.
    struct Accepted: Sendable, CustomTestStringConvertible {
        let name: String
        let text: String
        let value: JSONValue
        var testDescription: String { name }
    }

    /// A document that must be refused, at `offset`, for `reason`.
    struct Rejected: Sendable, CustomTestStringConvertible {
        let name: String
        let bytes: [UInt8]
        let offset: Int
        let reason: JSONParseError.Reason
        var testDescription: String { name }

        init(_ name: String, _ text: String, offset: Int, _ reason: JSONParseError.Reason) {
            self.init(name, Array(text.utf8), offset: offset, reason)
        }

        init(_ name: String, _ bytes: [UInt8], offset: Int, _ reason: JSONParseError.Reason) {
            self.name = name
            self.bytes = bytes
            self.offset = offset
            self.reason = reason
        }
    }

    static let accepted: [Accepted] = [
        Accepted(name: "null", text: "null", value: .null),
        Accepted(name: "true-with-whitespace", text: " \t\r\ntrue\n", value: true),
        Accepted(name: "zero", text: "0", value: 0),
        Accepted(name: "negative-zero", text: "-0", value: .number(JSONNumber(-0.0)!)),
        Accepted(name: "int64-max", text: "9223372036854775807", value: .number(JSONNumber(Int64.max))),
        Accepted(name: "int64-min", text: "-9223372036854775808", value: .number(JSONNumber(Int64.min))),
        Accepted(name: "fraction", text: "1.5", value: .number(JSONNumber(1.5)!)),
        Accepted(name: "exponent", text: "2E+3", value: 2000),
        Accepted(name: "tiny-underflows-to-zero", text: "1e-400", value: 0),
        Accepted(name: "empty-string", text: #""""#, value: ""),
        Accepted(name: "short-escapes", text: #""\"\\\/\b\f\n\r\t""#, value: "\"\\/\u{8}\u{c}\n\r\t"),
        Accepted(name: "unicode-escape", text: #""\u00e9\u20AC""#, value: "é€"),
        Accepted(name: "surrogate-pair", text: #""\ud83d\ude00""#, value: "😀"),
        Accepted(name: "raw-utf8", text: "\"é€😀\"", value: "é€😀"),
        Accepted(name: "nested", text: #"{"a":[1,{"b":null}],"c":{}}"#, value: ["a": [1, ["b": nil]], "c": [:]]),
        Accepted(name: "empty-array", text: "[ ]", value: []),
    ]

    static let rejected: [Rejected] = [
        Rejected("empty", "", offset: 0, .unexpectedEnd),
        Rejected("whitespace-only", "  ", offset: 2, .unexpectedEnd),
        Rejected("trailing-data", "{} x", offset: 3, .trailingData),
        Rejected("two-values", "1 2", offset: 2, .trailingData),
        Rejected("comment", "// c\n1", offset: 0, .unexpectedByte(UInt8(ascii: "/"), expected: "a JSON value")),
        Rejected("byte-order-mark", [0xEF, 0xBB, 0xBF, 0x31], offset: 0, .unexpectedByte(0xEF, expected: "a JSON value")),
        Rejected("leading-zero", "01", offset: 0, .leadingZero),
        Rejected("negative-leading-zero", "-01", offset: 0, .leadingZero),
        Rejected("leading-plus", "+1", offset: 0, .unexpectedByte(UInt8(ascii: "+"), expected: "a JSON value")),
        Rejected("bare-minus", "-", offset: 1, .unexpectedEnd),
        Rejected("dot-without-digits", "1.", offset: 2, .unexpectedEnd),
        Rejected("dot-then-letter", "1.e3", offset: 2, .digitExpected),
        Rejected("exponent-without-digits", "1e+", offset: 3, .unexpectedEnd),
        Rejected("leading-dot", ".5", offset: 0, .unexpectedByte(UInt8(ascii: "."), expected: "a JSON value")),
        Rejected("nan", "NaN", offset: 0, .unexpectedByte(UInt8(ascii: "N"), expected: "a JSON value")),
        Rejected("infinity-literal", "[Infinity]", offset: 1, .unexpectedByte(UInt8(ascii: "I"), expected: "a JSON value")),
        Rejected("number-too-large", "[1e400]", offset: 1, .numberOutOfRange),
        Rejected("truncated-literal", "tru", offset: 3, .unexpectedEnd),
        Rejected("misspelt-literal", "nul1", offset: 3, .unexpectedByte(UInt8(ascii: "1"), expected: "the literal null")),
        Rejected("trailing-comma-array", "[1,]", offset: 3, .unexpectedByte(UInt8(ascii: "]"), expected: "a JSON value")),
        Rejected("trailing-comma-object", #"{"a":1,}"#, offset: 7, .unexpectedByte(UInt8(ascii: "}"), expected: "a string key")),
        Rejected("missing-colon", #"{"a" 1}"#, offset: 5, .unexpectedByte(UInt8(ascii: "1"), expected: "':' after an object key")),
        Rejected("single-quotes", "['a']", offset: 1, .unexpectedByte(UInt8(ascii: "'"), expected: "a JSON value")),
        Rejected("unquoted-key", "{a:1}", offset: 1, .unexpectedByte(UInt8(ascii: "a"), expected: "a string key")),
        Rejected("duplicate-key", #"{"a":1,"b":2,"a":3}"#, offset: 13, .duplicateKey("a")),
        Rejected("duplicate-key-nested", #"[{"x":{"k":1,"k":1}}]"#, offset: 13, .duplicateKey("k")),
        Rejected("unterminated-string", #""abc"#, offset: 4, .unexpectedEnd),
        Rejected("raw-newline-in-string", "\"a\nb\"", offset: 2, .unescapedControlCharacter(0x0A)),
        Rejected("raw-tab-in-string", "\"\t\"", offset: 1, .unescapedControlCharacter(0x09)),
        Rejected("bad-escape", #""\x41""#, offset: 1, .invalidEscape(UInt8(ascii: "x"))),
        Rejected("short-unicode-escape", #""\u12G4""#, offset: 5, .invalidUnicodeEscape),
        Rejected("lone-high-surrogate", #""\ud83d""#, offset: 1, .unpairedSurrogate(0xD83D)),
        Rejected("high-surrogate-then-text", #""\ud83dx""#, offset: 1, .unpairedSurrogate(0xD83D)),
        Rejected("high-then-high-surrogate", #""\ud83d\ud83d""#, offset: 1, .unpairedSurrogate(0xD83D)),
        Rejected("lone-low-surrogate", #""\ude00""#, offset: 1, .unpairedSurrogate(0xDE00)),
        Rejected("invalid-utf8-continuation", [0x22, 0x80, 0x22], offset: 1, .invalidUTF8),
        Rejected("overlong-utf8", [0x22, 0xC0, 0xAF, 0x22], offset: 1, .invalidUTF8),
        Rejected("overlong-3-byte", [0x22, 0xE0, 0x80, 0xAF, 0x22], offset: 1, .invalidUTF8),
        Rejected("encoded-surrogate", [0x22, 0xED, 0xA0, 0x80, 0x22], offset: 1, .invalidUTF8),
        Rejected("above-u10ffff", [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], offset: 1, .invalidUTF8),
        Rejected("truncated-utf8", [0x22, 0xE2, 0x82], offset: 1, .unexpectedEnd),
        Rejected("unclosed-array", "[1", offset: 2, .unexpectedEnd),
        Rejected("unclosed-object", #"{"a":1"#, offset: 6, .unexpectedEnd),
    ]

    @Test(arguments: accepted)
    func accepts(_ vector: Accepted) throws {
        #expect(try JSONValue.parse(Array(vector.text.utf8)) == vector.value)
    }

    @Test(arguments: rejected)
    func rejects(_ vector: Rejected) {
        #expect(throws: JSONParseError(offset: vector.offset, reason: vector.reason)) {
            try JSONValue.parse(vector.bytes)
        }
    }

    @Test func rejectsNestingBeyondTheLimit() throws {
        let deep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(throws: JSONParseError(offset: 64, reason: .tooDeep(limit: 64))) {
            try JSONValue.parse(Array(deep.utf8))
        }
        let limit = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        _ = try JSONValue.parse(Array(limit.utf8))
        #expect(throws: JSONParseError.self) { try JSONValue.parse(Array("[[[]]]".utf8), maxDepth: 2) }
    }

    @Test func keepsIntegersExactBeyondTwoToThe53() throws {
        let value = try JSONValue.parse(Array("9007199254740993".utf8))
        #expect(value.int64Value == 9_007_199_254_740_993)
        #expect(try JSONValue.parse(Array("1.0".utf8)).int64Value == 1)
        #expect(try JSONValue.parse(Array("1.5".utf8)).int64Value == nil)
        #expect(try JSONValue.parse(Array("18446744073709551616".utf8)).int64Value == nil)
    }

    @Test func errorsMapTo400WithTheOffset() {
        let error = JSONParseError(offset: 7, reason: .duplicateKey("a"))
        #expect(error.apiError.status == 400)
        #expect(error.apiError.code == 400)
        #expect(error.apiError.message.contains("duplicate key \"a\" at byte offset 7"))
    }
}
