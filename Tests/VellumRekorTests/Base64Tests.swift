import Foundation
import Testing
@testable import VellumRekor

/// The base64 decoder against Foundation's on every length up to 300, in each mode, and the
/// offsets its errors name for each way an input can be wrong.
@Suite struct Base64Tests {
    @Test func decodesWhatFoundationEncodesInEveryMode() throws {
        var generator = SystemRandomNumberGenerator()
        for length in 0...300 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let text = Array(Data(bytes).base64EncodedString().utf8)
            #expect(try Base64.decode(text, mode: .canonical).get() == bytes)
            #expect(try Base64.decode(text, mode: .goStd).get() == bytes)
            // Go's decoders skip CR and LF anywhere (PEM bodies wrap at 64 columns).
            var wrapped: [UInt8] = []
            for (offset, byte) in text.enumerated() {
                wrapped.append(byte)
                if offset % 64 == 63 { wrapped += [0x0D, 0x0A] }
            }
            #expect(try Base64.decode(wrapped, mode: .goStd).get() == bytes)
            let url = text.map { $0 == UInt8(ascii: "+") ? UInt8(ascii: "-") : $0 == UInt8(ascii: "/") ? UInt8(ascii: "_") : $0 }
            #expect(try Base64.decode(url, mode: .goURL).get() == bytes)
            #expect(Base64.encode(bytes) == String(decoding: text, as: UTF8.self))
        }
    }

    @Test(arguments: [
        ("AAA*", 3),          // a byte outside the alphabet
        ("AAAAA", 5),         // not a multiple of four: the end of the input
        ("AA=A", 3),          // a symbol after padding
        ("A===", 1),          // three padding characters
        ("AAA", 3),           // padding missing
        ("AB==", 1),          // unused bits set (canonical only): the last symbol
        ("AAB=", 2),
        ("AA\nAA", 2),        // line breaks are not canonical
    ])
    func namesTheFirstOffendingByteInCanonicalMode(text: String, offset: Int) {
        #expect(throws: Base64.DecodeError(offset: offset)) { try Base64.decode(Array(text.utf8), mode: .canonical).get() }
    }

    @Test func goModesIgnoreUnusedBitsAndLineBreaksButNotOtherBytes() throws {
        #expect(try Base64.decode(Array("AB==".utf8), mode: .goStd).get() == [0x00])
        #expect(try Base64.decode(Array("AA\r\nAA".utf8), mode: .goStd).get() == [0, 0, 0])
        #expect(throws: Base64.DecodeError(offset: 2)) { try Base64.decode(Array("AA AA".utf8), mode: .goStd).get() }
        #expect(throws: Base64.DecodeError(offset: 1)) { try Base64.decode(Array("A-AA".utf8), mode: .goStd).get() }
        #expect(throws: Base64.DecodeError(offset: 1)) { try Base64.decode(Array("A+AA".utf8), mode: .goURL).get() }
    }
}
