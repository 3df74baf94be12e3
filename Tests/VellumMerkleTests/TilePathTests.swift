import Foundation
import Testing
import VellumMerkle
import VellumTesting

@Suite struct TilePathTests {
    @Test func encodesIndexGroupsWithXPrefixes() throws {
        #expect(try TilePath(level: 0, index: 1_234_067).description == "tile/0/x001/x234/067")
        #expect(try TilePath(level: 0, index: 5).description == "tile/0/005")
        #expect(try TilePath(level: 2, index: 1000, width: 17).description == "tile/2/x001/000.p/17")
        #expect(try TilePath(entryBundle: 0, width: 8).description == "tile/entries/000.p/8")
        #expect(try TilePath(level: 63, index: .max).description == "tile/63/x018/x446/x744/x073/x709/x551/615")
    }

    @Test func roundTripsTheLargestIndex() throws {
        let path = try TilePath(parsing: "tile/63/x018/x446/x744/x073/x709/x551/615.p/255")
        #expect(path.index == .max && path.width == 255 && path.kind == .hashes(level: 63))
        #expect(throws: TilePathError.self) { try TilePath(parsing: "tile/0/x018/x446/x744/x073/x709/x551/616") }
    }

    @Test(arguments: [
        "tile/64/000", "tile/0/000.p/0", "tile/0/000.p/256", "tile/0/x000/000", "tile/00/000",
        "tile/0/000.p/01", "tile/0/x001", "tile/0/001/002", "tile/0/x001/x002", "tile/0/0001",
        "tile/0/01", "tile/entries/000.p/", "tile/0/000/", "tiles/0/000", "tile/0", "tile//000",
        "tile/entries/x000/001", "tile/-1/000", "tile/+1/000", "tile/0/00a", "/tile/0/000",
    ])
    func rejectsMalformedAndNoncanonicalPaths(path: String) {
        #expect(throws: TilePathError.self) { try TilePath(parsing: path) }
    }

    @Test func rejectsOutOfRangeConstruction() {
        #expect(throws: TilePathError.levelOutOfRange(level: 64)) { try TilePath(level: 64, index: 0) }
        #expect(throws: TilePathError.widthOutOfRange(width: 0)) { try TilePath(level: 0, index: 0, width: 0) }
        #expect(throws: TilePathError.widthOutOfRange(width: 257)) { try TilePath(entryBundle: 0, width: 257) }
        #expect(throws: TilePathError.entryBeyondTree(index: 5, size: 5)) { try TilePath(entryIndex: 5, treeSize: 5) }
    }

    @Test(.enabled(if: Vectors.available)) func matchesPathVectors() throws {
        let file = try Vectors.load(TilesFile.self, from: "normalized/tiles.json")
        #expect(file.paths.count == 29)
        for vector in file.paths {
            let path = vector.kind == "entries"
                ? try TilePath(entryBundle: vector.index, width: vector.width)
                : try TilePath(level: UInt8(try #require(vector.level)), index: vector.index, width: vector.width)
            #expect(path.description == vector.path)
            #expect(try TilePath(parsing: vector.path) == path)
        }
        for vector in file.entries_path_for_index {
            #expect(try TilePath(entryIndex: vector.entry_index, treeSize: vector.tree_size).description == vector.path)
        }
        for vector in file.parse_valid {
            let path = try TilePath(parsing: "tile/\(vector.level_str)/\(vector.index_str)")
            #expect(path.kind == .hashes(level: UInt8(vector.level)) && path.index == vector.index && path.width == vector.width)
        }
        #expect(file.parse_errors.count == 23)
        for vector in file.parse_errors {
            #expect(throws: TilePathError.self, "\(vector.level) \(vector.index)") {
                try TilePath(parsing: "tile/\(vector.level)/\(vector.index)")
            }
        }
        for vector in file.parse_noncanonical {
            #expect(throws: TilePathError.self, "\(vector.desc)") {
                try TilePath(parsing: "tile/\(vector.level)/\(vector.index)")
            }
        }
    }

    @Test(.enabled(if: Vectors.available)) func parsesEntryBundlesAndRejectsBadOnes() throws {
        let file = try Vectors.load(TilesFile.self, from: "normalized/tiles.json")
        for vector in file.bundle_parse_errors {
            #expect(throws: EntryBundleError.self, "\(vector.desc)") { try EntryBundle(parsing: vector.data) }
        }
        let bundle = EntryBundle(entries: [[], [1], Array(repeating: 7, count: 65535)])
        #expect(try EntryBundle(parsing: bundle.bytes) == bundle)
    }

    @Test func findsOneEntryOfABundleWithoutParsingAll() throws {
        let entries: [[UInt8]] = (0..<256).map { Array(repeating: UInt8($0 & 0xff), count: $0 * 3) }
        let bytes = EntryBundle(entries: entries).bytes
        for position in 0..<256 {
            #expect(try EntryBundle.entry(at: position, in: bytes).map(Array.init) == entries[position])
        }
        #expect(try EntryBundle.entry(at: 256, in: bytes) == nil)
        for count in [0, 1, 17, 256] {
            let end = try #require(try EntryBundle.end(ofFirst: count, in: bytes))
            #expect(Array(bytes[..<end]) == EntryBundle(entries: Array(entries.prefix(count))).bytes)
        }
        #expect(try EntryBundle.end(ofFirst: 257, in: bytes) == nil)
        #expect(try EntryBundle.entry(at: 0, in: []) == nil)
        // A length prefix that claims more bytes than remain is an error, not a short entry.
        #expect(throws: EntryBundleError.self) { try EntryBundle.entry(at: 1, in: [0, 1, 9, 0, 5, 1]) }
        #expect(throws: EntryBundleError.self) { try EntryBundle.entry(at: 0, in: [0]) }
    }
}
