// Vellum's benchmarks: `scripts/bench <name>` builds this in release mode and runs it.
// Each benchmark prints human-readable lines and ends with one JSON object on its last line.
import Foundation
import VellumPostgres

let arguments = CommandLine.arguments.dropFirst()
switch arguments.first {
case "merkle":
    MerkleBench(quick: arguments.contains("--quick")).run()
case "append":
    if let flag = arguments.firstIndex(of: "--store"), arguments.index(after: flag) < arguments.endIndex {
        let location = try PostgresLocation(parsing: arguments[arguments.index(after: flag)])
        try await PostgresAppendBench(location: location, quick: arguments.contains("--quick")).run()
    } else {
        try await AppendBench(quick: arguments.contains("--quick")).run()
    }
case "http-prepare" where arguments.count == 3:
    let list = Array(arguments)
    try HTTPBench.prepare(path: list[1], count: Int(list[2]) ?? 100_000)
case "http-prepare-dsse" where arguments.count == 3:
    let list = Array(arguments)
    try HTTPBench.prepareDSSE(path: list[1], count: Int(list[2]) ?? 100_000)
case "crypto-ceiling":
    HTTPBench.cryptoCeiling()
case "crypto-per-upload":
    HTTPBench.cryptoPerUpload()
case "crash-writer" where arguments.count == 2:
    try await CrashTest.write(directory: URL(fileURLWithPath: String(arguments.last!)))
case "crash-check" where arguments.count == 3:
    let list = Array(arguments)
    do {
        try CrashTest.check(directory: URL(fileURLWithPath: list[1]), acknowledgements: URL(fileURLWithPath: list[2]))
    } catch {
        print("FAILED: \(error)")
        exit(1)
    }
case "monitor-log" where arguments.count == 3:
    let list = Array(arguments)
    try await MonitorBench.build(directory: list[1], count: Int(list[2]) ?? 1_000_000)
case "monitor-ceiling" where arguments.count == 4:
    let list = Array(arguments)
    try await MonitorBench.ceiling(url: list[1], watchPath: list[2], count: Int(list[3]) ?? 100_000)
case "soak-load":
    try await Soak.load(Array(arguments.dropFirst()))
case "soak-verify":
    try await Soak.verify(Array(arguments.dropFirst()))
default:
    FileHandle.standardError.write(Data("usage: VellumBench merkle|append [--quick] [--store postgres://…] | http-prepare FILE N | crypto-ceiling | crash-writer DIR | crash-check DIR ACKFILE | soak-load ... | soak-verify ...\n".utf8))
    exit(2)
}
