extension JSONValue {
    /// The RFC 8785 (JSON Canonicalization Scheme) serialization: no whitespace, object keys
    /// sorted by their UTF-16 code units (§3.2.3), strings escaped minimally (§3.2.2.2),
    /// numbers printed as ECMAScript `Number.prototype.toString` prints the double (§3.2.2.3),
    /// so integers below 10^21 have no exponent and `-0` prints as `0`.
    ///
    /// This is what Rekor's `jsoncanonicalizer.Transform` produces for entry bodies and SET
    /// payloads (rekor-v1.md §2.1, §5.3).
    public func canonicalBytes() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(512)
        appendCanonical(to: &bytes)
        return bytes
    }

    func appendCanonical(to bytes: inout [UInt8]) {
        switch self {
        case .null:
            bytes.append(contentsOf: "null".utf8)
        case .bool(let value):
            bytes.append(contentsOf: (value ? "true" : "false").utf8)
        case .number(let number):
            if let integer = number.int64, abs(integer) <= 9_007_199_254_740_992 {
                bytes.append(contentsOf: String(integer).utf8)  // exact, and what toString prints
            } else {
                bytes.append(contentsOf: ECMAScriptNumber.format(number.double))
            }
        case .string(let string):
            JSONWriter.appendQuoted(string, to: &bytes)
        case .array(let elements):
            bytes.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                element.appendCanonical(to: &bytes)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let members):
            bytes.append(UInt8(ascii: "{"))
            let keys = members.keys.sorted { $0.utf16.lexicographicallyPrecedes($1.utf16) }
            for (index, key) in keys.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                JSONWriter.appendQuoted(key, to: &bytes)
                bytes.append(UInt8(ascii: ":"))
                members[key]!.appendCanonical(to: &bytes)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }
}
