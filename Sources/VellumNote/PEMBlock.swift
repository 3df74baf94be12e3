/// One PEM block (RFC 7468): `-----BEGIN <label>-----`, base64 lines, `-----END <label>-----`.
///
/// Only the strict form is read: a single block, no headers, standard padded base64. Blank
/// space around the block and CRLF line endings are tolerated.
struct PEMBlock: Equatable {
    let label: String
    let der: [UInt8]

    init(label: String, der: [UInt8]) {
        self.label = label
        self.der = der
    }

    init(parsing text: String) throws(KeyError) {
        // Split on Character.isNewline: in Swift "\r\n" is one Character, not two.
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
            .map(Self.trimmed)
            .drop(while: \.isEmpty)
            .reversed().drop(while: \.isEmpty).reversed()
        guard let first = lines.first, let last = lines.last, lines.count >= 3 else {
            throw .malformedPEM("expected -----BEGIN …-----, base64 lines, -----END …-----")
        }
        guard let label = Self.label(of: first, marker: "BEGIN") else {
            throw .malformedPEM("the first line is not -----BEGIN <label>-----")
        }
        guard Self.label(of: last, marker: "END") == label else {
            throw .malformedPEM("the last line is not -----END \(label)-----")
        }
        let body = lines.dropFirst().dropLast().joined()
        guard let der = StrictBase64.decode(body), !der.isEmpty else {
            throw .malformedPEM("the body is not standard padded base64 (headers are not supported)")
        }
        self.label = label
        self.der = der
    }

    private static func trimmed(_ line: Substring) -> Substring {
        var line = line
        while line.first?.isWhitespace == true { line.removeFirst() }
        while line.last?.isWhitespace == true { line.removeLast() }
        return line
    }

    private static func label(of line: Substring, marker: String) -> String? {
        let head = "-----\(marker) ", tail = "-----"
        guard line.hasPrefix(head), line.hasSuffix(tail), line.count > head.count + tail.count else {
            return nil
        }
        return String(line.dropFirst(head.count).dropLast(tail.count))
    }

    /// The block with 64-character base64 lines and a final newline.
    var text: String {
        let encoded = Array(StrictBase64.encode(der))
        var lines = ["-----BEGIN \(label)-----"]
        var start = 0
        while start < encoded.count {
            lines.append(String(encoded[start..<min(start + 64, encoded.count)]))
            start += 64
        }
        lines.append("-----END \(label)-----")
        return lines.joined(separator: "\n") + "\n"
    }
}
