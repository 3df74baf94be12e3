/// A JSON number: the IEEE-754 double it denotes, plus the exact value when that is an integer
/// that fits in `Int64`.
///
/// RFC 8785 defines canonical numbers through doubles, so ``double`` is what canonical output
/// uses; integers up to 2^53 print identically either way. ``int64`` keeps integers above 2^53
/// exact for callers that read them (`logIndex` in requests); such integers canonicalize as
/// their nearest double, exactly as every RFC 8785 implementation does.
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// The value as a double (always finite).
    public let double: Double
    /// The exact value when the number is an integer in `Int64` range, else `nil`.
    public let int64: Int64?

    /// An integer.
    public init(_ value: Int64) {
        self.double = Double(value)
        self.int64 = value
    }

    /// A finite double; `nil` for NaN and infinities, which JSON cannot express.
    public init?(_ value: Double) {
        guard value.isFinite else { return nil }
        self.double = value
        // Doubles up to 2^53 in magnitude convert exactly; larger integral doubles are
        // representable too, but only the parser knows whether the literal was exact.
        if value.rounded(.towardZero) == value, abs(value) <= 9_007_199_254_740_992 {
            self.int64 = Int64(value)
        } else {
            self.int64 = nil
        }
    }

    /// A parsed literal: `double` is the correctly rounded value of the whole literal (finite),
    /// `exactInteger` its value when the literal was a plain integer that fits in `Int64`.
    init(parsed double: Double, exactInteger: Int64?) {
        precondition(double.isFinite, "the parser rejects numbers outside the double range")
        if let exactInteger {
            self.double = double
            self.int64 = exactInteger
        } else {
            self = JSONNumber(double)!
        }
    }

    public var description: String {
        if let int64 { return String(int64) }
        return String(decoding: ECMAScriptNumber.format(double), as: UTF8.self)
    }
}
