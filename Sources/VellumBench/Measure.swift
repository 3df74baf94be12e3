import Foundation

/// Monotonic seconds.
func now() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
}

/// Runs `body` (which performs `work` operations per call) until at least `seconds` have
/// passed, after one warm-up call, and returns operations per second.
func rate(seconds: Double = 1.0, work: Int, _ body: () -> Void) -> Double {
    body()
    var done = 0
    let start = now()
    var elapsed = 0.0
    repeat {
        body()
        done += work
        elapsed = now() - start
    } while elapsed < seconds
    return Double(done) / elapsed
}

/// Keeps a value alive so the optimiser cannot drop the work that produced it.
@inline(never)
func consume<T>(_ value: T) {
    withExtendedLifetime(value) {}
}

/// Resident set size in MiB, from /proc/self/statm.
func residentMiB() -> Double {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = text.split(separator: " ")
    guard fields.count > 1, let pages = Double(fields[1]) else { return 0 }
    return pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
}

/// The anonymous part of the resident set in MiB (`RssAnon` in /proc/self/status): the heap
/// and stacks, without the pages of the database file the readers map (`mmap_size`), which
/// `residentMiB` counts too and which grow with the file up to the mapping's size while
/// staying reclaimable by the kernel.
func anonymousResidentMiB() -> Double {
    ProcessStatus(pid: nil)?.rssAnonMiB ?? 0
}

/// What /proc says about a process (`pid`, or this one when nil); nil once it is gone.
struct ProcessStatus {
    var rssMiB: Double
    var rssAnonMiB: Double
    var threads: Int
    var openFiles: Int
    /// `Z` for a process that exited and was not yet waited for (a crash, say).
    var state: Character

    init?(pid: Int32?) {
        let directory = pid.map { "/proc/\($0)" } ?? "/proc/self"
        guard let text = try? String(contentsOfFile: directory + "/status", encoding: .utf8) else { return nil }
        var fields: [Substring: Substring] = [:]
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[line[..<colon]] = line[line.index(after: colon)...].drop(while: { $0 == " " || $0 == "\t" })
        }
        func kib(_ name: Substring) -> Double {
            fields[name].flatMap { $0.split(separator: " ").first }.flatMap { Double($0) } ?? 0
        }
        rssMiB = kib("VmRSS") / 1024
        rssAnonMiB = kib("RssAnon") / 1024
        threads = fields["Threads"].flatMap { Int($0) } ?? 0
        state = fields["State"]?.first ?? "?"
        openFiles = (try? FileManager.default.contentsOfDirectory(atPath: directory + "/fd").count) ?? 0
    }
}

/// What this process has cost so far: CPU seconds (user + system, from getrusage) and bytes
/// written, both as handed to write calls (`wchar`: WAL frames, checkpoint copies) and as sent
/// to the storage device (`write_bytes`), from /proc/self/io.
struct ProcessCost {
    var cpuSeconds: Double
    var writtenBytes: Double
    var deviceBytes: Double

    static func now() -> ProcessCost {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let cpu = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        var fields: [Substring: Double] = [:]
        for line in ((try? String(contentsOfFile: "/proc/self/io", encoding: .utf8)) ?? "").split(separator: "\n") {
            let parts = line.split(separator: ":")
            if parts.count == 2 { fields[parts[0]] = Double(parts[1].trimmingCharacters(in: .whitespaces)) }
        }
        return ProcessCost(cpuSeconds: cpu, writtenBytes: fields["wchar"] ?? 0, deviceBytes: fields["write_bytes"] ?? 0)
    }

    static func - (a: ProcessCost, b: ProcessCost) -> ProcessCost {
        ProcessCost(cpuSeconds: a.cpuSeconds - b.cpuSeconds, writtenBytes: a.writtenBytes - b.writtenBytes,
                    deviceBytes: a.deviceBytes - b.deviceBytes)
    }
}

/// Formats a rate for the human-readable lines.
func human(_ value: Double) -> String {
    if value >= 1e6 { return String(format: "%.2f M", value / 1e6) }
    if value >= 1e3 { return String(format: "%.1f k", value / 1e3) }
    return String(format: "%.1f", value)
}

/// The machine line printed at the top of every benchmark.
func machineDescription() -> String {
    let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
        .split(separator: "\n").first { $0.hasPrefix("model name") }?
        .split(separator: ":").last?.trimmingCharacters(in: .whitespaces) ?? "unknown CPU"
    return "\(cpu), \(ProcessInfo.processInfo.activeProcessorCount) cores, \(ProcessInfo.processInfo.physicalMemory >> 30) GiB"
}

/// Prints the final JSON line (keys sorted, numbers rounded to 4 significant digits).
func printJSON(_ values: [String: Any]) {
    let data = try! JSONSerialization.data(withJSONObject: values, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
}

func round4(_ value: Double) -> Double {
    guard value != 0, value.isFinite else { return value }
    let digits = 4 - Int(floor(log10(abs(value)))) - 1
    let scale = pow(10.0, Double(digits))
    return (value * scale).rounded() / scale
}
