import Foundation
import Testing
import VellumClient
@testable import VellumServer
import VellumSync

/// `vellum monitor`'s core against a real server on a real port, under concurrent uploads,
/// through both read APIs: an honest log gives no finding and every poll verifies a larger tree.
/// With the server's Ed25519 note key the same holds (a tiles client's usual trust).
@Suite struct ServerMonitorTests {
    @Test func anHonestServerUnderConcurrentUploadsGivesNoFindingThroughEitherAPI() async throws {
        try await TestServer.with { server in
            let transport = try URLSessionTransport(base: "http://127.0.0.1:\(server.client.port)")
            let keys = [try LogKey(pem: server.log.publicKeyPEM), try LogKey(verifierKey: server.log.noteVerifierKey)]
            #expect(try await LogAPI.probe(transport) == .tiles)
            let uploads = Task {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for worker in 0..<4 {
                        group.addTask {
                            let signer = TestSigner()
                            for round in 0..<150 {
                                let response = try await server.client.post("/api/v1/log/entries", json: try signer.request("\(worker).\(round)").request)
                                #expect(response.status == 201)
                            }
                        }
                    }
                    try await group.waitForAll()
                }
            }
            let findings = Locked<[String]>([])
            var monitors: [(Monitor, String)] = []
            for api in LogAPI.allCases {
                for (position, key) in keys.enumerated() where api == .tiles || position == 0 {
                    let state = TestServer.temporaryDirectory()
                    let sink = try FindingSink(outputPath: nil, webhook: nil, maxAttempts: 1) { line in findings.withLock { $0.append(line) } }
                    monitors.append((Monitor(source: api.source(transport), key: key, configuration: .init(stateDirectory: state), sink: sink), state))
                }
            }
            var verified = [UInt64](repeating: 0, count: monitors.count)
            var polls = 0
            while true {
                polls += 1
                for (position, (monitor, _)) in monitors.enumerated() {
                    let summary = try await monitor.poll()
                    let size = summary.verifiedSize ?? 0
                    #expect(size >= verified[position], "the verified size never goes back")
                    verified[position] = size
                }
                if try server.log.latestSize() >= 600 { break }
                try await Task.sleep(nanoseconds: 50_000_000)
            }
            try await uploads.value
            #expect(polls >= 2, "the monitors polled while the uploads ran")
            let final = try server.log.latestSize()
            for (monitor, state) in monitors {
                #expect(try await monitor.poll().verifiedSize == final)
                try? FileManager.default.removeItem(atPath: state)
            }
            #expect(findings.withLock { $0 }.isEmpty, "\(findings.withLock { $0 })")
        }
    }
}
