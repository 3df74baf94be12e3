/// ECMAScript `Number::toString` (ECMA-262 §6.1.6.1.20) for finite doubles, as RFC 8785 §3.2.2.3
/// requires.
///
/// The shortest round-tripping digits come from Swift's `description` (SwiftDtoa: shortest,
/// and closest to the exact value among the shortest, which is ECMAScript's rule too); only the
/// layout (where the point goes, when to use an exponent) is ECMAScript's and done here.
enum ECMAScriptNumber {
    static func format(_ value: Double) -> [UInt8] {
        precondition(value.isFinite, "JSON numbers are finite")
        if value == 0 { return Array("0".utf8) }
        if value < 0 { return Array("-".utf8) + format(-value) }
        let (digits, pointPosition) = shortestDigits(value)
        // ECMA-262: k = digit count, n = position of the decimal point relative to the digits.
        let k = digits.count, n = pointPosition
        var out: [UInt8] = []
        if k <= n && n <= 21 {
            out = digits + Array(repeating: UInt8(ascii: "0"), count: n - k)
        } else if 0 < n && n <= 21 {
            out = Array(digits[0..<n]) + [UInt8(ascii: ".")] + Array(digits[n...])
        } else if -6 < n && n <= 0 {
            out = Array("0.".utf8) + Array(repeating: UInt8(ascii: "0"), count: -n) + digits
        } else {
            let exponent = n - 1
            out = [digits[0]]
            if k > 1 { out += [UInt8(ascii: ".")] + Array(digits[1...]) }
            out += Array("e\(exponent < 0 ? "-" : "+")\(abs(exponent))".utf8)
        }
        return out
    }

    /// The shortest decimal digits of a positive double (no leading or trailing zeros) and the
    /// point position `n` such that value = 0.d1d2…dk × 10^n.
    static func shortestDigits(_ value: Double) -> (digits: [UInt8], pointPosition: Int) {
        // Swift prints e.g. "123.456", "1e-07", "1.2345e+20", "5e-324".
        let text = Array(value.description.utf8)
        var mantissa = text[...]
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
            mantissa = text[..<e]
            exponent = Int(String(decoding: text[(e + 1)...], as: UTF8.self))!
        }
        var digits: [UInt8] = []
        var pointPosition = 0
        var seenPoint = false
        for byte in mantissa {
            if byte == UInt8(ascii: ".") {
                seenPoint = true
            } else {
                digits.append(byte)
                if !seenPoint { pointPosition += 1 }
            }
        }
        pointPosition += exponent
        while digits.first == UInt8(ascii: "0") {
            digits.removeFirst()
            pointPosition -= 1
        }
        while digits.last == UInt8(ascii: "0") { digits.removeLast() }
        return (digits, pointPosition)
    }
}
