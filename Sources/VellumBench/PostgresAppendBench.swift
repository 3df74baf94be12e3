import Foundation
import VellumMerkle
import VellumPostgres
import VellumSequencer
import VellumStorage

/// `scripts/bench append --store postgres://…`: the append benchmark on the PostgreSQL store —
/// durable appends through the sequencer (no HTTP, no signature checks), 1 KiB entries, many
/// concurrent submitters; the server's own ceiling for the same rows in transactions of the
/// same size (`append_vs_engine`); latency at half the peak; the server settings used.
struct PostgresAppendBench {
    let location: PostgresLocation
    var quick = false

    func run() async throws {
        print("machine: \(machineDescription())")
        let settings = try PostgresCeiling.settings(location: location)
        print("PostgreSQL: " + settings.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
        let storage = try PostgresLogStorage.open(location: location, readers: 4, leaseDuration: .seconds(30))
        defer { storage.close() }
        guard try storage.lease.acquire(address: "") else { throw SoakError.verification("another node holds the lease") }
        guard try storage.treeState().size == 0 else {
            throw SoakError.verification("the database already holds a log; give the benchmark an empty one")
        }
        let sequencer = try Sequencer(storage: storage, configuration: try AppendBench.sequencerConfiguration())
        // Keep the lease while the benchmark runs (each batch renews it too).
        let keeper = Task {
            while !Task.isCancelled {
                _ = try? storage.lease.renew()
                try? await Task.sleep(for: .seconds(5))
            }
        }
        defer { keeper.cancel() }
        var json: [String: Any] = ["store": "postgres"]
        for (key, value) in settings { json["pg_" + key] = value }

        let environment = ProcessInfo.processInfo.environment
        let total = Int(environment["VELLUM_BENCH_ENTRIES"] ?? "") ?? (quick ? 100_000 : 1_000_000)
        let submitters = Int(environment["VELLUM_BENCH_SUBMITTERS"] ?? "") ?? 8000
        let keyShape = environment["VELLUM_BENCH_SEARCH_KEYS"] ?? ""
        let searchKeys = keyShape == "attestations" ? AppendBench.attestationMix : AppendBench.searchKeys(count: Int(keyShape) ?? 0)
        let costBefore = ProcessCost.now()
        let (latencies, elapsed) = try await AppendBench.peak(sequencer: sequencer, total: total, submitters: submitters,
                                                              entry: AppendBench.entry, searchKeys: searchKeys)
        let cost = ProcessCost.now() - costBefore
        let peak = Double(total) / elapsed
        let batches = try PostgresCeiling.count(location: location, table: "checkpoints") - 1
        let perBatch = total / max(batches, 1)
        let bench = AppendBench(quick: quick)
        let peakLatency = bench.percentilesMs(latencies)
        print("durable appends: \(total) × 1 KiB entries, \(submitters) submitters: \(human(peak)) entries/s in \(String(format: "%.1f", elapsed)) s")
        print("  \(batches) batches, \(perBatch) entries per batch; latency p50 \(peakLatency.p50) ms, p99 \(peakLatency.p99) ms")
        print("  cost per entry in this process: \(String(format: "%.1f", cost.cpuSeconds / Double(total) * 1e6)) µs CPU "
              + "(the PostgreSQL server's own CPU is not counted)")
        json["entries_per_s"] = round4(peak)
        json["batches_per_s"] = round4(Double(batches) / elapsed)
        json["client_cpu_us_per_entry"] = round4(cost.cpuSeconds / Double(total) * 1e6)
        json["peak_p50_ms"] = round4(peakLatency.p50)
        json["peak_p99_ms"] = round4(peakLatency.p99)

        // The paced phase before the ceiling: the ceiling writes ~1 GB of scratch rows, and the
        // checkpoints and vacuums that follow would land in the paced phase, not the log's own.
        let target = Double(environment["VELLUM_BENCH_PACED_RATE"] ?? "") ?? peak / 2
        let seconds = Double(environment["VELLUM_BENCH_PACED_SECONDS"] ?? "") ?? (quick ? 2.0 : 5.0)
        let paced = try await bench.paced(sequencer: sequencer, rate: target, seconds: seconds, offset: total,
                                          entry: AppendBench.entry, searchKeys: searchKeys)
        bench.report(paced, "latency at half the peak", rate: target, seconds: seconds, keyPrefix: "", into: &json)
        json["half_rate_per_s"] = round4(target)
        let ceiling = try PostgresCeiling.entriesPerSecond(location: location, entries: total, batchSize: max(1, perBatch),
                                                           key: AppendBench.ceilingKey)
        print("PostgreSQL's ceiling for the same rows: \(human(ceiling)) entries/s (one multi-row insert per durable "
              + "transaction of \(perBatch) rows); append_vs_engine \(String(format: "%.2f", peak / ceiling))")
        json["engine_entries_per_s"] = round4(ceiling)
        json["append_vs_engine"] = round4(peak / ceiling)

        await sequencer.shutdown()
        printJSON(json)
    }
}
