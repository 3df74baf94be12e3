import Foundation

// Decodable shapes of the shared vector files (see ../shared/vectors/README.md). Byte strings
// are standard base64 and decode to Data; sizes and indices are UInt64.

public struct InclusionVector: Decodable, Sendable {
    public let sequence: String
    public let leaf_index: UInt64
    public let tree_size: UInt64
    public let leaf_hash: Data
    public let root: Data
    public let proof: [Data]
    public let valid: Bool
    public let `case`: String
    public let desc: String
    public let source: String
}

public struct ConsistencyVector: Decodable, Sendable {
    public let sequence: String
    public let size1: UInt64
    public let size2: UInt64
    public let root1: Data
    public let root2: Data
    public let proof: [Data]
    public let valid: Bool
    public let `case`: String
    public let desc: String
    public let source: String
}

public struct VectorList<Vector: Decodable & Sendable>: Decodable, Sendable {
    public let vectors: [Vector]
}

public struct TreesFile: Decodable, Sendable {
    public struct Sequence: Decodable, Sendable {
        public let name: String
        public let size: Int
        public let leaves: [Data]
        public let leaf_hashes: [Data]
        public let roots: [Data]
    }
    public let sequences: [Sequence]
}

public struct HashesFile: Decodable, Sendable {
    public struct Leaf: Decodable, Sendable { public let data: Data; public let hash: Data; public let desc: String }
    public struct Node: Decodable, Sendable { public let left: Data; public let right: Data; public let hash: Data; public let desc: String }
    public let empty_root: Data
    public let leaf_hashes: [Leaf]
    public let node_hashes: [Node]
}

public struct BigRootsFile: Decodable, Sendable {
    public let roots: [Data]
}

public struct TilesFile: Decodable, Sendable {
    public struct PathCase: Decodable, Sendable {
        public let kind: String
        public let level: Int?
        public let index: UInt64
        public let width: Int
        public let path: String
    }
    public struct EntryPathCase: Decodable, Sendable {
        public let entry_index: UInt64
        public let tree_size: UInt64
        public let path: String
    }
    public struct ParseValid: Decodable, Sendable {
        public let level_str: String
        public let index_str: String
        public let level: Int
        public let index: UInt64
        public let width: Int
    }
    public struct ParseError: Decodable, Sendable {
        public let level: String
        public let index: String
    }
    public struct ParseNoncanonical: Decodable, Sendable {
        public let level: String
        public let index: String
        public let desc: String
    }
    public struct TileCase: Decodable, Sendable {
        public let path: String
        public let level: Int
        public let index: UInt64
        public let width: Int
        public let sha256: Data
        public let data: Data?
    }
    public struct BundleCase: Decodable, Sendable {
        public let path: String
        public let index: UInt64
        public let width: Int
        public let sha256: Data
        public let size_bytes: Int
        public let data: Data?
    }
    public struct Tree: Decodable, Sendable {
        public let name: String
        public let sequence: String
        public let tree_size: UInt64
        public let root: Data
        public let full_data: Bool
        public let tiles: [TileCase]
        public let entry_bundles: [BundleCase]
    }
    public struct BadBundle: Decodable, Sendable {
        public let data: Data
        public let desc: String
    }
    public let paths: [PathCase]
    public let entries_path_for_index: [EntryPathCase]
    public let parse_valid: [ParseValid]
    public let parse_errors: [ParseError]
    public let parse_noncanonical: [ParseNoncanonical]
    public let trees: [Tree]
    public let bundle_parse_errors: [BadBundle]
}
