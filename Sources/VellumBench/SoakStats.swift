import Foundation

/// Latencies in buckets 1% wide (from 10 µs to minutes), so percentiles of millions of
/// requests cost a few kilobytes.
struct LatencyHistogram {
    private static let base = 1.01
    private static let smallestMs = 0.01
    private(set) var counts = [Int](repeating: 0, count: 2048)
    private(set) var total = 0

    mutating func record(ms: Double) {
        let bucket = ms <= Self.smallestMs ? 0 : Int((log(ms / Self.smallestMs) / log(Self.base)).rounded(.up))
        counts[min(bucket, counts.count - 1)] += 1
        total += 1
    }

    /// The upper bound of the bucket holding the `percentile`-th latency, in ms (0 when empty).
    func percentile(_ percentile: Double) -> Double {
        guard total > 0 else { return 0 }
        let rank = Int((Double(total) * percentile / 100).rounded(.up))
        var seen = 0
        for (bucket, count) in counts.enumerated() {
            seen += count
            if seen >= rank { return Self.smallestMs * pow(Self.base, Double(bucket)) }
        }
        return Self.smallestMs * pow(Self.base, Double(counts.count - 1))
    }

    mutating func reset() {
        counts = [Int](repeating: 0, count: counts.count)
        total = 0
    }
}

/// One sample of the server process and the load, taken every few seconds.
struct SoakSample {
    var seconds: Double
    var rssMiB: Double
    var rssAnonMiB: Double
    var openFiles: Int
    var threads: Int
    var treeSize: UInt64
    var batches: Int
    var uploads: Int
    var errors: Int
}

/// The verdict on memory. The server's caches are bounded but fill slowly: the SQLite page
/// caches (32 MiB for the writer, 16 MiB per reader), expanded proof tiles (≤ 32 MiB), entry
/// stamps (2^18, ~34 MiB), bundle offsets (≤ 8 MiB), the identity filter (16 MiB) and the
/// index tails (≤ 2 generations). Measured on this machine (`docs/PERFORMANCE.md`): anonymous
/// RSS climbs to ~235 MiB over the first ~1.7M entries, then moves in a ~20 MiB sawtooth (a
/// stamps table cleared, a generation sealed) and stays there through 8M entries.
/// So two checks:
/// - a **ceiling** at every sample: what the caches add up to, on top of the ~60 MiB the
///   process starts with, with room for malloc's arenas;
/// - after the **warm-up** (the later of 2M entries and 40% of the run), no climb: the highest
///   sample of the last third may exceed the highest of the first third by `allowedGrowthMiB`
///   at most (the max of each third lets the sawtooth pass and catches a steady climb). A run
///   too short to leave the warm-up (the 2-minute one) is judged by the ceiling alone.
struct MemoryVerdict {
    static let ceilingMiB = 384.0
    static let warmupEntries: UInt64 = 2_000_000
    static let allowedGrowthMiB = 16.0

    var warmupSeconds: Double
    var maxMiB = 0.0
    var firstThirdMaxMiB = 0.0
    var lastThirdMaxMiB = 0.0
    /// Enough samples after the warm-up to judge growth.
    var judged = false

    init(samples: [SoakSample], runSeconds: Double) {
        warmupSeconds = runSeconds * 0.4
        maxMiB = samples.map(\.rssAnonMiB).max() ?? 0
        let after = samples.filter { $0.seconds >= warmupSeconds && $0.treeSize >= Self.warmupEntries }
        guard after.count >= 6 else { return }
        let third = after.count / 3
        firstThirdMaxMiB = after.prefix(third).map(\.rssAnonMiB).max() ?? 0
        lastThirdMaxMiB = after.suffix(third).map(\.rssAnonMiB).max() ?? 0
        judged = true
    }

    var growthMiB: Double { judged ? lastThirdMaxMiB - firstThirdMaxMiB : 0 }

    /// What is wrong, or nil.
    var failure: String? {
        if maxMiB > Self.ceilingMiB {
            return String(format: "anonymous RSS reached %.1f MiB, above the %.0f MiB the bounded caches allow", maxMiB, Self.ceilingMiB)
        }
        if growthMiB > Self.allowedGrowthMiB {
            return String(format: "anonymous RSS still growing after the warm-up: highest %.1f MiB in the last third against %.1f MiB in the first (allowed: +%.0f MiB)",
                          lastThirdMaxMiB, firstThirdMaxMiB, Self.allowedGrowthMiB)
        }
        return nil
    }
}
