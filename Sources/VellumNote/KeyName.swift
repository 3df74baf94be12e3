/// Rules for the key names that appear in signature lines and key strings
/// (C2SP signed-note, spec §2.1).
enum KeyName {
    /// True when `name` is a valid key name: non-empty, no Unicode white space, no `+`, and
    /// no control characters (a note may not contain them anywhere, spec §2.1).
    ///
    /// Unicode white space is the `White_Space` property, the same set as Go's
    /// `unicode.IsSpace`, which golang.org/x/mod uses.
    static func isValid(_ name: some StringProtocol) -> Bool {
        !name.isEmpty && !name.unicodeScalars.contains {
            $0 == "+" || $0.value < 0x20 || $0.properties.isWhitespace
        }
    }
}
