import Foundation
import Testing
import VellumRekor
import VellumTesting

@Suite struct JSONCanonicalTests {
    /// RFC 8785 §3.2.2 (the "numbers/string/literals" example), checked byte for byte.
    @Test func matchesRFC8785MainExample() throws {
        let input = #"""
        {
          "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
          "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
          "literals": [null, true, false]
        }
        """#
        let expected = #"{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}"#
        let value = try JSONValue.parse(Array(input.utf8))
        #expect(String(decoding: value.canonicalBytes(), as: UTF8.self) == expected)
    }

    /// RFC 8785 §3.2.3: keys sort by UTF-16 code units, so U+1F600 (a surrogate pair starting
    /// 0xD83D) sorts before U+FB33; and U+FB33 keeps its bytes (no normalization).
    @Test func sortsKeysByUTF16CodeUnits() throws {
        let input = #"{"\u20ac":"Euro Sign","\r":"Carriage Return","\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One","\ud83d\ude00":"Emoji: Grinning Face","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis"}"#
        let expectedHex = "7b225c72223a2243617272696167652052657475726e222c2231223a224f6e65222c22c280223a22436f6e74726f6c222c22c3b6223a224c6174696e20536d616c6c204c6574746572204f205769746820446961657265736973222c22e282ac223a224575726f205369676e222c22f09f9880223a22456d6f6a693a204772696e6e696e672046616365222c22efacb3223a22486562726577204c65747465722044616c6574205769746820446167657368227d"
        let value = try JSONValue.parse(Array(input.utf8))
        #expect(hex(value.canonicalBytes()) == expectedHex)
    }

    @Test func printsNumbersAsECMAScriptDoes() {
        var mismatches: [String] = []
        for vector in ECMAScriptNumberVectors.all {
            let double = Double(bitPattern: UInt64(vector.bits, radix: 16)!)
            let printed = String(decoding: JSONValue.number(JSONNumber(double)!).canonicalBytes(), as: UTF8.self)
            if printed != vector.text { mismatches.append("\(vector.bits): got \(printed), want \(vector.text)") }
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
        #expect(ECMAScriptNumberVectors.all.count > 150)
    }

    @Test(arguments: [
        (Int64(0), "0"), (-1, "-1"), (1_710_888_076, "1710888076"), (9_007_199_254_740_992, "9007199254740992"),
        (9_007_199_254_740_993, "9007199254740992"),  // beyond 2^53: the nearest double, as JCS does
        (Int64.max, "9223372036854776000"),
    ])
    func printsIntegersWithoutExponent(value: Int64, text: String) {
        #expect(String(decoding: JSONValue.number(JSONNumber(value)).canonicalBytes(), as: UTF8.self) == text)
    }

    @Test func escapesOnlyWhatJCSEscapes() {
        let raw = "\u{0}\u{1f}\u{8}\t\n\u{c}\r\"\\/<>&\u{7f}\u{2028}é"
        let expected = #""\u0000\u001f\b\t\n\f\r\"\\/<>&"# + "\u{7f}\u{2028}é\""
        #expect(String(decoding: JSONValue.string(raw).canonicalBytes(), as: UTF8.self) == expected)
    }

    /// Canonical output parses back to the same value, and is a fixed point.
    @Test func roundTrips() throws {
        let documents = [
            #"{"b":[1,2.5,-0,1e21,true,null,{}],"a":{"z":"\u00e9","y":[]},"\u0000":"x"}"#,
            #"[{"spec":{"data":{"hash":{"value":"AbC","algorithm":"sha256"}}},"kind":"hashedrekord"}]"#,
            "[1e-7,123456789012345678901234567890,0.1,-5e-324]",
        ]
        for document in documents {
            let value = try JSONValue.parse(Array(document.utf8))
            let canonical = value.canonicalBytes()
            let reparsed = try JSONValue.parse(canonical)
            #expect(reparsed.canonicalBytes() == canonical)
            #expect(try JSONValue.parse(Array(document.utf8)) == reparsed)
        }
    }

    @Test func writerMatchesCanonicalFormForSortedKeys() {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("a"); writer.beginArray(); writer.integer(1); writer.string("x\n"); writer.null(); writer.endArray()
        writer.key("b"); writer.bool(false)
        writer.key("c"); writer.beginObject(); writer.endObject()
        writer.key("d"); writer.value(["z": 1, "y": [true]])
        writer.endObject()
        let value: JSONValue = ["a": [1, "x\n", nil], "b": false, "c": [:], "d": ["y": [true], "z": 1]]
        #expect(writer.bytes == value.canonicalBytes())
        #expect(String(decoding: writer.bytes, as: UTF8.self) == #"{"a":[1,"x\n",null],"b":false,"c":{},"d":{"y":[true],"z":1}}"#)
    }

    /// Base64 and hex go into the buffer without a String in between; they must come out as
    /// Foundation's base64 and `%02x` would write them, at every length's remainder mod 3,
    /// from contiguous and non-contiguous collections alike.
    @Test func writesBase64AndHexStraightIntoTheBuffer() {
        var generator = SeededGenerator(seed: 0xB64)
        for count in 0...70 {
            let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            var writer = JSONWriter()
            writer.beginArray()
            writer.base64String(bytes)
            writer.base64String(bytes.lazy.map { $0 })
            bytes.withUnsafeBytes { writer.hexString($0) }
            writer.endArray()
            let base64 = Data(bytes).base64EncodedString()
            let expected = "[\"\(base64)\",\"\(base64)\",\"\(hex(bytes))\"]"
            #expect(String(decoding: writer.bytes, as: UTF8.self) == expected, "\(count) bytes")
        }
    }

    @Test func errorBodyIsRekorShaped() {
        let error = RekorAPIError(status: 422, code: 602, message: "kind in body is required")
        #expect(String(decoding: error.body, as: UTF8.self) == #"{"code":602,"message":"kind in body is required"}"#)
    }

    private func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }
}
