import Testing
import VellumStorage
import VellumTesting

@Suite struct InMemoryLogStorageTests {
    @Test(arguments: StorageConformance.checks.map(\.name))
    func passesTheStorageConformanceSuite(check: String) throws {
        let run = try #require(StorageConformance.checks.first { $0.name == check }?.run)
        try run(InMemoryLogStorage())
    }
}
