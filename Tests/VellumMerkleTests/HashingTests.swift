import Foundation
import Testing
import VellumMerkle
import VellumTesting

@Suite struct HashingTests {
    @Test func emptyRootIsSHA256OfNothing() {
        #expect(RFC6962.emptyRoot.hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(CompactRange().root == RFC6962.emptyRoot)
    }

    @Test func hashParsesOnlyCanonicalForms() throws {
        let root = try #require(Hash(base64: "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="))
        #expect(root == RFC6962.emptyRoot)
        #expect(Hash(base64: "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU") == nil, "unpadded")
        #expect(Hash(base64: "YmFuYW5hcw==") == nil, "8 bytes")
        #expect(Hash(hex: root.hex) == root)
        #expect(Hash(hex: String(root.hex.dropLast())) == nil)
        #expect(Hash([UInt8](repeating: 0, count: 31)) == nil)
        #expect(Hash(root.bytes) == root)
    }

    @Test(.enabled(if: Vectors.available)) func matchesHashVectors() throws {
        let file = try Vectors.load(HashesFile.self, from: "normalized/hashes.json")
        #expect(Hash(file.empty_root) == RFC6962.emptyRoot)
        for vector in file.leaf_hashes {
            #expect(RFC6962.leafHash(vector.data) == Hash(vector.hash), "\(vector.desc)")
            #expect(LogLeaf(Array(vector.data)).hash == Hash(vector.hash), "LogLeaf: \(vector.desc)")
        }
        for vector in file.node_hashes {
            if let left = Hash(vector.left), let right = Hash(vector.right) {
                #expect(RFC6962.nodeHash(left: left, right: right) == Hash(vector.hash), "\(vector.desc)")
            } else {
                // One vector has children of other lengths: the node hash is plain SHA-256 over
                // 0x01 || left || right, which only the byte-level function can express.
                #expect(RFC6962.sha256(of: [1] + vector.left + vector.right) == Hash(vector.hash), "\(vector.desc)")
            }
        }
    }

    @Test(.enabled(if: Vectors.available)) func compactRangeGivesEveryPrefixRoot() throws {
        let file = try Vectors.load(TreesFile.self, from: "normalized/trees.json")
        #expect(file.sequences.count == 4)
        for sequence in file.sequences {
            var range = CompactRange()
            #expect(range.root == Hash(sequence.roots[0]))
            for (i, leaf) in sequence.leaves.enumerated() {
                let leafHash = RFC6962.leafHash(leaf)
                #expect(leafHash == Hash(sequence.leaf_hashes[i]), "\(sequence.name) leaf \(i)")
                range.append(leafHash)
                #expect(range.root == Hash(sequence.roots[i + 1]), "\(sequence.name) size \(i + 1)")
            }
        }
    }

    @Test(.enabled(if: Vectors.available)) func tiledTreeGivesRootsOfFiveThousandPrefixes() throws {
        let file = try Vectors.load(BigRootsFile.self, from: "big/roots.json")
        #expect(file.roots.count == 5001)
        var store = TileStore()
        #expect(store.tree.root == Hash(file.roots[0]))
        var size = 0
        var generator = SeededGenerator(seed: 5000)
        while size < 5000 {
            let batch = min(Int.random(in: 1...40, using: &generator), 5000 - size)
            store.append((size..<size + batch).map { RFC6962.leafHash(leafN($0)) })
            size += batch
            #expect(store.tree.root == Hash(file.roots[size]), "size \(size)")
        }
        // Every earlier root can be read back from the tiles of the final size.
        for old in stride(from: 0, through: 5000, by: 7) {
            let plan = try TreeRoot.plan(size: UInt64(old), treeSize: 5000)
            let root = try store.assemble(plan).first ?? RFC6962.emptyRoot
            #expect(root == Hash(file.roots[old]), "root of \(old) from tiles of 5000")
        }
    }

    @Test func visitorReportsEveryCompletedNode() {
        var range = CompactRange()
        var seen: [NodeID] = []
        for i in 0..<8 { range.append(RFC6962.leafHash([UInt8(i)])) { node, _ in seen.append(node) } }
        // 8 leaves complete 8 + 4 + 2 + 1 nodes.
        #expect(seen.count == 15)
        #expect(Set(seen).count == 15)
        #expect(seen.last == NodeID(level: 3, index: 0))
    }

    /// `<` compares words; it must order exactly as the bytes do, which is the order SQLite
    /// gives the identity b-tree (the index tails merge in it). Hashes here share prefixes of
    /// every length, so each word decides some comparisons, and every byte value appears.
    @Test func orderIsTheBytesOrder() {
        var generator = SeededGenerator(seed: 0x4A5C)
        let base = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        var hashes: [Hash] = []
        for shared in 0...32 {
            for _ in 0..<8 {
                var bytes = base
                for position in shared..<32 { bytes[position] = UInt8.random(in: 0...255, using: &generator) }
                hashes.append(Hash(bytes)!)
            }
        }
        var wrong: [String] = []
        for a in hashes {
            for b in hashes where (a < b) != a.bytes.lexicographicallyPrecedes(b.bytes) { wrong.append("\(a.hex) < \(b.hex)") }
        }
        #expect(wrong.isEmpty, "\(wrong.count) pairs misordered, first: \(wrong.first ?? "")")
        #expect(hashes.sorted().map(\.bytes) == hashes.map(\.bytes).sorted { $0.lexicographicallyPrecedes($1) })
    }
}
