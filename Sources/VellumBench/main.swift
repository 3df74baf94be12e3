// Vellum's benchmarks: `scripts/bench <name>` builds this in release mode and runs it.
// Each benchmark prints human-readable lines and ends with one JSON object on its last line.
import Foundation

let arguments = CommandLine.arguments.dropFirst()
switch arguments.first {
case "merkle":
    MerkleBench(quick: arguments.contains("--quick")).run()
default:
    FileHandle.standardError.write(Data("usage: VellumBench merkle [--quick]\n".utf8))
    exit(2)
}
