import Testing
import VellumMerkle
import VellumRekor

@Suite struct EntryIDTests {
    static let uuid = "d1f6e7b0a6ad1b3f1c8b0d5a7d0e0f2c3b4a5968778695a4b3c2d1e0f1e2d3c4"

    @Test func printsTreeIDAs16HexDigits() {
        let id = EntryID(treeID: 1_193_050_959_916_656_506, uuid: Hash(hex: Self.uuid)!)
        #expect(id.hex == "108e9186e8c5677a" + Self.uuid)
        #expect(EntryID(treeID: 1, uuid: Hash(hex: Self.uuid)!).hex == "0000000000000001" + Self.uuid)
        #expect(EntryID.treeIDHex(3_904_496_407_287_907_110) == "362f8ecba72f4326")
        #expect(EntryID(uuid: Hash(hex: Self.uuid)!).hex == Self.uuid)
    }

    @Test func parsesAndNormalisesCase() throws {
        let id = try EntryID.parse(("108E9186E8C5677A" + Self.uuid).uppercased())
        #expect(id.treeID == 1_193_050_959_916_656_506)
        #expect(id.hex == "108e9186e8c5677a" + Self.uuid)
        let bare = try #require(EntryID(hex: Self.uuid.uppercased()))
        #expect(bare.treeID == nil)
        #expect(bare.hex == Self.uuid)
    }

    @Test(arguments: ["", "abc", String(Self.uuid.dropLast()), Self.uuid + "0", "g" + Self.uuid.dropFirst(),
                      "108e9186e8c5677" + Self.uuid, " " + Self.uuid])
    func refusesMalformedIDs(text: String) {
        #expect(EntryID(hex: text) == nil)
        #expect(throws: RekorRequestError.entryIDPattern(text)) { try EntryID.parse(text) }
        #expect(RekorRequestError.entryIDPattern(text).apiError
            == RekorAPIError(status: 422, code: 605, message: "entryUUID in path should match '^([0-9a-fA-F]{64}|[0-9a-fA-F]{80})$'"))
    }

    @Test(arguments: ["8000000000000000", "ffffffffffffffff"])
    func refusesTreeIDsOutsidePositiveInt64(tree: String) {
        #expect(EntryID(hex: tree + Self.uuid) == nil)
        let error = #expect(throws: RekorRequestError.self) { try EntryID.parse(tree + Self.uuid) }
        #expect(error == .invalidTreeID(tree + Self.uuid))
        #expect(error?.apiError.status == 400)
        #expect(EntryID(hex: "7fffffffffffffff" + Self.uuid)?.treeID == Int64.max)
    }
}
