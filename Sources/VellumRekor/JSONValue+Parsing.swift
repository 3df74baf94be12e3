extension JSONValue {
    /// Parses one JSON document, strictly (RFC 8259).
    ///
    /// Rejected, each with its byte offset: invalid UTF-8 (RFC 3629: no overlongs, no encoded
    /// surrogates, nothing above U+10FFFF), unpaired `\u` surrogates, raw control characters in
    /// strings, leading zeros, `NaN`/`Infinity`, comments, a byte-order mark, trailing commas,
    /// anything but whitespace after the value, numbers beyond the double range, duplicate
    /// keys, and nesting deeper than `maxDepth`.
    ///
    /// Go's `encoding/json` (Rekor) is laxer: it keeps the last of duplicate keys and replaces
    /// bad UTF-8 and lone surrogates with U+FFFD. We refuse instead, so that what we log is what
    /// the client meant.
    ///
    /// - Parameters:
    ///   - bytes: the UTF-8 document.
    ///   - maxDepth: how many arrays and objects may nest.
    public static func parse(_ bytes: [UInt8], maxDepth: Int = 64) throws(JSONParseError) -> JSONValue {
        let result: Result<JSONValue, JSONParseError> = bytes.withUnsafeBufferPointer { buffer in
            var parser = JSONParser(input: buffer, maxDepth: maxDepth)
            do throws(JSONParseError) {
                return .success(try parser.parseDocument())
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Parses one JSON document from any byte collection; see ``parse(_:maxDepth:)-([UInt8],_)``.
    public static func parse(_ bytes: some Collection<UInt8>, maxDepth: Int = 64) throws(JSONParseError) -> JSONValue {
        try parse(Array(bytes), maxDepth: maxDepth)
    }
}
