/// PEM blocks read the way Go's `encoding/pem.Decode` reads them, and written the way
/// `pem.Encode` writes them: Rekor accepts whatever the former accepts and logs what the latter
/// writes (rekor-v1.md §5.2–§5.3), so a client's PEM is never rejected for layout alone.
///
/// Reading (Go semantics, written from its documented behaviour): text before `-----BEGIN ` is
/// skipped; `Key: Value` header lines after the BEGIN line are allowed and dropped; spaces, tabs
/// and line breaks inside the base64 are ignored; the END line must repeat the label; a block
/// that does not parse is skipped and the search continues after its BEGIN line.
enum PEM {
    struct Block: Equatable {
        let label: String
        let der: [UInt8]
    }

    /// The first block in `data` and the bytes after its END line, or `nil` when there is none.
    static func decodeFirst(_ data: ArraySlice<UInt8>) -> (block: Block, rest: ArraySlice<UInt8>)? {
        var rest = data
        while true {
            // Find "-----BEGIN " at the very start or right after a newline.
            if rest.starts(with: beginMarker) {
                rest = rest.dropFirst(beginMarker.count)
            } else if let found = firstRange(of: newlineBeginMarker, in: rest) {
                rest = rest[found.upperBound...]
            } else {
                return nil
            }
            let (typeLine, afterType) = line(rest)
            rest = afterType
            guard typeLine.count >= 5, typeLine.suffix(5).elementsEqual(dashes) else { continue }
            let label = typeLine.dropLast(5)
            if let block = blockBody(label: label, in: rest) { return block }
        }
    }

    /// Everything after the BEGIN line of a block labelled `label`: headers, base64, END line.
    private static func blockBody(label: ArraySlice<UInt8>, in data: ArraySlice<UInt8>)
        -> (block: Block, rest: ArraySlice<UInt8>)?
    {
        var body = data
        var sawHeader = false
        while true {
            guard !body.isEmpty else { return nil }
            let (headerLine, next) = line(body)
            guard headerLine.contains(UInt8(ascii: ":")) else { break }
            sawHeader = true
            body = next
        }
        // Without headers the END line may follow immediately (an empty block).
        let endStart: ArraySlice<UInt8>.Index
        let trailerStart: ArraySlice<UInt8>.Index
        if !sawHeader && body.starts(with: endMarker) {
            endStart = body.startIndex
            trailerStart = body.startIndex + endMarker.count
        } else if let found = firstRange(of: newlineEndMarker, in: body) {
            endStart = found.lowerBound
            trailerStart = found.upperBound
        } else {
            return nil
        }
        let trailer = body[trailerStart...]
        let trailerLength = label.count + dashes.count
        guard trailer.count >= trailerLength,
              trailer.prefix(label.count).elementsEqual(label),
              trailer.dropFirst(label.count).prefix(dashes.count).elementsEqual(dashes)
        else { return nil }
        let (afterEnd, rest) = line(trailer.dropFirst(trailerLength))
        guard afterEnd.isEmpty else { return nil }
        // Spaces and tabs are dropped as Go's pem.Decode drops them (CR and LF the decoder
        // skips itself); bodies without any, nearly all, are decoded in place.
        let text = body[body.startIndex..<endStart]
        let decoded = text.contains(where: { $0 == 0x20 || $0 == 0x09 })
            ? Base64.decode(text.filter { $0 != 0x20 && $0 != 0x09 }, mode: .goStd)
            : Base64.decode(text, mode: .goStd)
        guard case .success(let der) = decoded else { return nil }
        return (Block(label: String(decoding: label, as: UTF8.self), der: der), rest)
    }

    /// One line without its newline and trailing spaces, tabs and CRs; and what follows it.
    private static func line(_ data: ArraySlice<UInt8>) -> (line: ArraySlice<UInt8>, rest: ArraySlice<UInt8>) {
        let newline = data.firstIndex(of: 0x0A)
        var text = data[data.startIndex..<(newline ?? data.endIndex)]
        while let last = text.last, last == 0x20 || last == 0x09 || last == 0x0D { text = text.dropLast() }
        let rest = newline.map { data[($0 + 1)...] } ?? data[data.endIndex...]
        return (text, rest)
    }

    private static func firstRange(of needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Range<Int>? {
        guard haystack.count >= needle.count else { return nil }
        var index = haystack.startIndex
        while index + needle.count <= haystack.endIndex {
            if haystack[index] == needle[0], haystack[index..<(index + needle.count)].elementsEqual(needle) {
                return index..<(index + needle.count)
            }
            index += 1
        }
        return nil
    }

    private static let beginMarker = Array("-----BEGIN ".utf8)
    private static let newlineBeginMarker = Array("\n-----BEGIN ".utf8)
    private static let endMarker = Array("-----END ".utf8)
    private static let newlineEndMarker = Array("\n-----END ".utf8)
    private static let dashes = Array("-----".utf8)

    /// `pem.Encode` without headers: BEGIN line, base64 in 64-column lines, END line, each
    /// ending in `\n`.
    static func encode(label: String, der: [UInt8]) -> [UInt8] {
        let base64 = Base64.encodeBytes(der)
        var out = Array("-----BEGIN \(label)-----\n".utf8)
        var start = 0
        while start < base64.count {
            out += base64[start..<min(start + 64, base64.count)]
            out.append(0x0A)
            start += 64
        }
        out += Array("-----END \(label)-----\n".utf8)
        return out
    }

    /// Go's `bytes.TrimSpace` for ASCII input: strips `\t \n \v \f \r` and space at both ends
    /// (plus U+0085 and U+00A0, which Go also counts as space).
    static func trimSpace(_ data: [UInt8]) -> ArraySlice<UInt8> {
        var slice = data[...]
        while true {
            if let first = slice.first, isASCIISpace(first) {
                slice = slice.dropFirst()
            } else if slice.starts(with: [0xC2, 0x85]) || slice.starts(with: [0xC2, 0xA0]) {
                slice = slice.dropFirst(2)
            } else {
                break
            }
        }
        while true {
            if let last = slice.last, isASCIISpace(last) {
                slice = slice.dropLast()
            } else if slice.count >= 2, slice.suffix(2).elementsEqual([0xC2, 0x85]) || slice.suffix(2).elementsEqual([0xC2, 0xA0]) {
                slice = slice.dropLast(2)
            } else {
                break
            }
        }
        return slice
    }

    private static func isASCIISpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09...0x0D).contains(byte)
    }
}
