import Foundation

/// Standard padded base64 (RFC 4648 §4) read canonically: the input must be exactly what
/// encoding its bytes gives back (padding present, unused trailing bits zero, no whitespace).
///
/// golang.org/x/mod decodes signature lines with `base64.StdEncoding`, which also insists on
/// padding but ignores non-zero trailing bits; we reject those too so that every parsed note
/// re-encodes byte for byte (STYLE.md "Parse canonically").
enum StrictBase64 {
    /// The decoded bytes, or `nil` unless `text` is canonical padded base64.
    static func decode(_ text: some StringProtocol) -> [UInt8]? {
        let string = String(text)
        guard let data = Data(base64Encoded: string), data.base64EncodedString() == string else {
            return nil
        }
        return [UInt8](data)
    }

    /// Standard padded base64 of `bytes`.
    static func encode(_ bytes: some Collection<UInt8>) -> String {
        Data(bytes).base64EncodedString()
    }
}
