import Foundation
import HTTPTypes
import Testing
import VellumRekor
import VellumSequencer
import VellumStorage
@testable import VellumServer

/// The one place that turns errors into answers: each has its status, a JSON body with a code
/// and a message, and pushback carries Retry-After.
@Suite struct APIErrorTests {
    @Test func aFullPoolIs503WithRetryAfter() {
        let error = APIError(SequencerError.poolFull(capacity: 10))
        #expect(error.status == .serviceUnavailable)
        #expect(error.response.headers[.retryAfter] == "1")
        #expect(error.code == 503 && error.response.headers[.contentType] == "application/json")
    }

    @Test func shuttingDownIs503AndAnOversizedEntryIs413() {
        let stopping = APIError(SequencerError.shuttingDown)
        #expect(stopping.status == .serviceUnavailable && stopping.response.headers[.retryAfter] != nil)
        let large = APIError(SequencerError.entryTooLarge(size: 70_000, limit: 65_535))
        #expect(large.status == .contentTooLarge && large.message.contains("65535"))
    }

    @Test func storageFailuresAre500WithoutInternals() {
        let error = APIError(StorageError.backend("disk I/O error at page 7"))
        #expect(error.status == .internalServerError)
        #expect(!error.message.contains("page 7"))
    }

    @Test func entryErrorsKeepRekorsStatusAndCode() {
        let error = APIError(RekorAPIError(status: 422, code: 605, message: "pattern"))
        #expect(error.status.code == 422 && error.code == 605 && error.message == "pattern")
    }
}
