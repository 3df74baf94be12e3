import Foundation
import Testing
import VellumNote

/// The `expect` word of the vectors for a NoteError (golang.org/x/mod `note.Open` outcomes).
func expectation(of error: NoteError) -> String {
    switch error {
    case .malformed: "malformed"
    case .invalidSignature: "invalid-signature"
    case .noVerifiableSignature: "no-verifiable-signature"
    case .ambiguousKey: "ambiguous-key"
    case .signingFailed: "signing-failed"
    }
}

/// Runs `open` and reports the vectors' outcome word with verified and unverified names.
struct OpenOutcome: Equatable, CustomStringConvertible {
    var expect: String
    var verified: [String] = []
    var unverified: [String] = []

    init(expect: String, verified: [String] = [], unverified: [String] = []) {
        self.expect = expect
        self.verified = verified
        self.unverified = unverified
    }

    init(_ open: () throws(NoteError) -> VerifiedNote) {
        do {
            let note = try open()
            self.init(expect: "ok", verified: note.verified.map(\.name), unverified: note.unverified.map(\.name))
        } catch {
            if case .noVerifiableSignature(let unverified) = error {
                self.init(expect: expectation(of: error), unverified: unverified.map(\.name))
            } else {
                self.init(expect: expectation(of: error))
            }
        }
    }

    var description: String { "\(expect) verified=\(verified) unverified=\(unverified)" }
}

/// Bytes of a hex string (test data only).
func bytes(hex: String) -> [UInt8] {
    var result: [UInt8] = []
    var iterator = hex.makeIterator()
    while let high = iterator.next(), let low = iterator.next() {
        result.append(UInt8(String([high, low]), radix: 16)!)
    }
    return result
}

/// The C2SP signed-note example (spec §2.1), used by several suites.
enum C2SPExample {
    static let verifierKey = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"
    static let note = "This is an example message.\n\n\u{2014} example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n"
}
