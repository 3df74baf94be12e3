/// The three fields of a verifier key `name+hex8+base64(type||key)` (spec §2.1), checked for
/// syntax only. The key-type specific checks live in the verifier types.
struct VerifierKeyFields {
    let name: String
    let keyID: UInt32
    let type: UInt8
    let key: [UInt8]

    /// Splits on the first two `+` only: the base64 key material may itself contain `+`.
    init(parsing text: Substring) throws(KeyError) {
        guard let first = text.firstIndex(of: "+") else { throw .wrongFieldCount }
        let afterName = text[text.index(after: first)...]
        guard let second = afterName.firstIndex(of: "+") else { throw .wrongFieldCount }
        let name = text[..<first]
        let hex = afterName[..<second]
        let encoded = afterName[afterName.index(after: second)...]
        guard KeyName.isValid(name) else { throw .invalidName(String(name)) }
        guard let keyID = NoteKeyID.parseHex(hex) else { throw .invalidKeyIDHex(String(hex)) }
        guard let material = StrictBase64.decode(encoded), let type = material.first else {
            throw .invalidBase64
        }
        self.name = String(name)
        self.keyID = keyID
        self.type = type
        self.key = Array(material.dropFirst())
    }

    /// Formats `name+hex8+base64(type||key)`.
    static func format(name: String, keyID: UInt32, type: NoteSignatureType, key: some Collection<UInt8>) -> String {
        "\(name)+\(NoteKeyID.hex(keyID))+\(StrictBase64.encode([type.rawValue] + Array(key)))"
    }
}
