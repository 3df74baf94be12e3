/// A JSON document (RFC 8259) as parsed by ``JSONValue/parse(_:maxDepth:)`` or built in code.
///
/// Objects are dictionaries: member order carries no meaning in Rekor's JSON, and the only
/// serialization we need of a parsed document is the RFC 8785 canonical one, which sorts keys.
/// The parser rejects duplicate keys, so no member is ever silently dropped. Known gap: Swift
/// compares strings by Unicode canonical equivalence, so two keys that differ only in
/// normalization (`"é"` as U+00E9 vs `e` + U+0301) count as duplicates and are rejected.
///
/// Numbers are ``JSONNumber``s: an IEEE double (what RFC 8785 canonicalizes) plus the exact
/// `Int64` when the value is an integer, so log indexes and timestamps never pass through a
/// double on their way out.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// The member `key` of an object; `nil` for a missing member or a non-object.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members[key]
    }

    /// The string, or `nil` for anything else.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The boolean, or `nil` for anything else.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The exact integer, or `nil` for non-numbers and numbers that are not an `Int64`.
    public var int64Value: Int64? {
        if case .number(let number) = self { return number.int64 }
        return nil
    }

    /// The elements, or `nil` for anything else.
    public var arrayValue: [JSONValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// The members, or `nil` for anything else.
    public var objectValue: [String: JSONValue]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// True for `null`.
    public var isNull: Bool { self == .null }

    /// The JSON type name (`"object"`, `"array"`, `"string"`, `"number"`, `"boolean"`,
    /// `"null"`), for error messages.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int64) { self = .number(JSONNumber(value)) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }

    /// Builds an object; a repeated key is a programming error.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, _ in
            preconditionFailure("duplicate key in a JSONValue object literal")
        }))
    }
}
