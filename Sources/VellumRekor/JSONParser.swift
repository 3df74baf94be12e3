/// A recursive-descent reader over a byte buffer; one per document.
struct JSONParser {
    private let input: UnsafeBufferPointer<UInt8>
    private let maxDepth: Int
    private var position = 0
    private var depth = 0

    init(input: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.input = input
        self.maxDepth = maxDepth
    }

    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        guard position == input.count else { throw fail(.trailingData) }
        return value
    }

    // MARK: Values

    private mutating func parseValue() throws(JSONParseError) -> JSONValue {
        guard let byte = peek() else { throw fail(.unexpectedEnd) }
        switch byte {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw fail(.unexpectedByte(byte, expected: "a JSON value"))
        }
    }

    private mutating func parseObject() throws(JSONParseError) -> JSONValue {
        try enterContainer()
        position += 1  // {
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            position += 1
            depth -= 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard let byte = peek() else { throw fail(.unexpectedEnd) }
            guard byte == UInt8(ascii: "\"") else { throw fail(.unexpectedByte(byte, expected: "a string key")) }
            let keyOffset = position
            let key = try parseString()
            skipWhitespace()
            try expect(UInt8(ascii: ":"), what: "':' after an object key")
            skipWhitespace()
            let value = try parseValue()
            if members.updateValue(value, forKey: key) != nil {
                throw JSONParseError(offset: keyOffset, reason: .duplicateKey(key))
            }
            skipWhitespace()
            guard let next = peek() else { throw fail(.unexpectedEnd) }
            position += 1
            if next == UInt8(ascii: "}") { break }
            guard next == UInt8(ascii: ",") else {
                position -= 1
                throw fail(.unexpectedByte(next, expected: "',' or '}' in an object"))
            }
        }
        depth -= 1
        return .object(members)
    }

    private mutating func parseArray() throws(JSONParseError) -> JSONValue {
        try enterContainer()
        position += 1  // [
        var elements: [JSONValue] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            position += 1
            depth -= 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue())
            skipWhitespace()
            guard let next = peek() else { throw fail(.unexpectedEnd) }
            position += 1
            if next == UInt8(ascii: "]") { break }
            guard next == UInt8(ascii: ",") else {
                position -= 1
                throw fail(.unexpectedByte(next, expected: "',' or ']' in an array"))
            }
        }
        depth -= 1
        return .array(elements)
    }

    private mutating func enterContainer() throws(JSONParseError) {
        depth += 1
        guard depth <= maxDepth else { throw fail(.tooDeep(limit: maxDepth)) }
    }

    // MARK: Numbers

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`; the double comes from Swift's
    /// correctly rounded conversion of the literal, the integer from its digits.
    private mutating func parseNumber() throws(JSONParseError) -> JSONNumber {
        let start = position
        if peek() == UInt8(ascii: "-") { position += 1 }
        guard let first = peek(), isDigit(first) else { throw failDigitOrEnd() }
        position += 1
        if first == UInt8(ascii: "0"), let next = peek(), isDigit(next) {
            throw JSONParseError(offset: start, reason: .leadingZero)
        }
        skipDigits()
        var isInteger = true
        if peek() == UInt8(ascii: ".") {
            isInteger = false
            position += 1
            guard let digit = peek(), isDigit(digit) else { throw failDigitOrEnd() }
            skipDigits()
        }
        if let marker = peek(), marker == UInt8(ascii: "e") || marker == UInt8(ascii: "E") {
            isInteger = false
            position += 1
            if let sign = peek(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { position += 1 }
            guard let digit = peek(), isDigit(digit) else { throw failDigitOrEnd() }
            skipDigits()
        }
        let literal = String(decoding: UnsafeBufferPointer(rebasing: input[start..<position]), as: UTF8.self)
        guard let double = Double(literal), double.isFinite else {
            throw JSONParseError(offset: start, reason: .numberOutOfRange)
        }
        return JSONNumber(parsed: double, exactInteger: isInteger ? Int64(literal) : nil)
    }

    private mutating func skipDigits() {
        while let byte = peek(), isDigit(byte) { position += 1 }
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private func failDigitOrEnd() -> JSONParseError {
        peek() == nil ? fail(.unexpectedEnd) : fail(.digitExpected)
    }

    // MARK: Literals, whitespace

    private mutating func expectLiteral(_ word: String) throws(JSONParseError) {
        for expected in word.utf8 {
            guard let byte = peek() else { throw fail(.unexpectedEnd) }
            guard byte == expected else { throw fail(.unexpectedByte(byte, expected: "the literal \(word)")) }
            position += 1
        }
    }

    private mutating func expect(_ expected: UInt8, what: String) throws(JSONParseError) {
        guard let byte = peek() else { throw fail(.unexpectedEnd) }
        guard byte == expected else { throw fail(.unexpectedByte(byte, expected: what)) }
        position += 1
    }

    /// RFC 8259 §2: space, horizontal tab, line feed, carriage return.
    private mutating func skipWhitespace() {
        while let byte = peek(),
              byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
            position += 1
        }
    }

    func peek() -> UInt8? { position < input.count ? input[position] : nil }

    func byte(at offset: Int) -> UInt8? { offset < input.count ? input[offset] : nil }

    var offset: Int {
        get { position }
        set { position = newValue }
    }

    var inputCount: Int { input.count }

    func fail(_ reason: JSONParseError.Reason) -> JSONParseError {
        JSONParseError(offset: position, reason: reason)
    }
}
