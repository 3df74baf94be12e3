import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import VellumMerkle

/// The load of `scripts/soak`, driven from one event loop (every member is confined to it):
/// 1. **peak**: every upload connection sends back to back for `peakSeconds`; the rate
///    reached is the peak.
/// 2. **mixed**, for `minutes`, in cycles of 60 s: 40 s of uploads arriving at random (Poisson)
///    at 80% of the peak (batches of tens), 17 s at 10% of it (batches of one to three, as
///    many commits a second as the log can make: what crashed issue 18's server was the
///    number of batches), 3 s back to back on every connection (batches of hundreds); on
///    average ~61% of the peak. All along, on connections of their own:
///    inclusion-proof lookups (every tenth proof verified), checkpoint, tile and entry-bundle
///    reads, searches, duplicates (409), bad requests (4xx), consistency proofs between the
///    tree heads it saw (verified), `/metrics`. Every few seconds a sample of the server
///    process (RSS, anonymous RSS, open files, threads).
/// 3. **drain**: no new requests; waits for every answer.
final class SoakDriver: @unchecked Sendable {
    struct Settings {
        var host = "127.0.0.1"
        var port = 3000
        var pid: Int32
        var minutes = 2.0
        var peakSeconds = 10.0
        var uploadConnections = 256
        var readConnections = 8
        var timeoutSeconds: Int64 = 30
        var sampleSeconds = 5.0
        var steadyFraction = 0.8
    }

    enum Kind {
        case upload(n: Int)
        case duplicate, bad(String), lookup(verify: Bool), search, checkpoint, logInfo, tile, metrics
        case proof(old: (size: UInt64, root: Hash), new: (size: UInt64, root: Hash))
    }

    struct Job {
        var kind: Kind
        var request: SoakHTTPRequest
        var expected: Int
        /// When it was due (monotonic ns): latency counts from here, queueing included.
        var due: UInt64
        /// For tree heads and checkpoints: the largest size answered before this one was sent;
        /// its answer must not be smaller.
        var floor: UInt64 = 0
    }

    enum Phase { case connecting, peak, mixed, draining, done }

    let settings: Settings
    let loop: EventLoop
    let requests: SoakRequests
    private let finished: EventLoopPromise<SoakDriver>

    private(set) var phase = Phase.connecting
    private var phaseStart: UInt64 = 0
    private var idleUploads: [SoakConnection] = []
    private var idleReads: [SoakConnection] = []
    private var connections: [ObjectIdentifier: SoakConnection] = [:]
    private var readConnections = 0
    private var uploadQueue = JobQueue()
    private var readQueue = JobQueue()
    private var signed: [(n: Int, body: [UInt8])] = []
    private var signedNext = 0
    private var random = SystemRandomNumberGenerator()
    private var nextArrival: [String: UInt64] = [:]

    // Results.
    private(set) var acks: [(n: Int, index: UInt64)] = []
    private(set) var peakPerSecond = 0.0
    private(set) var mixedUploads = 0
    private(set) var mixedSeconds = 0.0
    private(set) var uploadLatency = LatencyHistogram()
    private var intervalLatency = LatencyHistogram()
    private(set) var counts: [String: Int] = [:]
    private(set) var problems: [String: Int] = [:]
    private(set) var examples: [String] = []
    private(set) var samples: [SoakSample] = []
    private(set) var crashed = false
    /// Batches the server committed since it started (its `/metrics`).
    private(set) var batches = 0
    private var recentBodies: [[UInt8]] = []
    private var treeHeads: [(size: UInt64, root: Hash)] = []
    /// The largest tree size any tree head or checkpoint answered.
    private var largestSize: UInt64 = 0
    private var highestIndex: UInt64 = 0
    private var started: UInt64 = 0

    var errors: Int { problems.values.reduce(0, +) }

    init(settings: Settings, requests: SoakRequests, loop: EventLoop) {
        self.settings = settings
        self.requests = requests
        self.loop = loop
        finished = loop.makePromise()
    }

    /// Runs the three phases; the future completes on the loop once every answer is in.
    func run() -> EventLoopFuture<SoakDriver> {
        loop.execute { [self] in
            started = Self.clock()
            for _ in 0..<(settings.uploadConnections + settings.readConnections) { connect() }
            loop.scheduleRepeatedTask(initialDelay: .milliseconds(1), delay: .milliseconds(1)) { [self] task in
                if phase == .done { task.cancel(); return }
                tick()
            }
            loop.scheduleRepeatedTask(initialDelay: .zero, delay: .milliseconds(Int64(settings.sampleSeconds * 1000))) { [self] task in
                if phase == .done { task.cancel(); return }
                sample()
            }
        }
        return finished.futureResult
    }

    static func clock() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    // MARK: Connections

    private func connect(after delay: TimeAmount = .zero) {
        loop.scheduleTask(in: delay) { [self] in
            guard phase != .done, phase != .draining else { return }
            SoakConnection.connect(host: settings.host, port: settings.port, on: loop).whenComplete { [self] result in
                switch result {
                case .success(let connection):
                    guard phase != .done else { connection.close(); return }
                    connections[ObjectIdentifier(connection)] = connection
                    // The small read pool first.
                    connection.isReader = readConnections < settings.readConnections
                    if connection.isReader { readConnections += 1 }
                    connection.onClose = { [self] in
                        connections[ObjectIdentifier(connection)] = nil
                        if connection.isReader { readConnections -= 1 }
                        idleUploads.removeAll { $0 === connection }
                        idleReads.removeAll { $0 === connection }
                        connect(after: .milliseconds(100))
                    }
                    if connection.isReader { idleReads.append(connection) } else { idleUploads.append(connection) }
                    if phase == .connecting, connections.count == settings.uploadConnections + settings.readConnections {
                        begin(.peak)
                    }
                case .failure(let error):
                    count(problem: "connect failed", example: "\(error)")
                    checkProcess()
                    connect(after: .seconds(1))
                }
            }
        }
    }
    private var busyReads: Int { readConnections - idleReads.count }
    private var busyUploads: Int { connections.count - readConnections - idleUploads.count }

    private func begin(_ next: Phase) {
        let now = Self.clock()
        if phase == .peak {
            let seconds = Double(now - phaseStart) / 1e9
            peakPerSecond = Double(counts["peak uploads", default: 0]) / seconds
            print(String(format: "peak: %.0f uploads/s over %.1f s (%d connections back to back)",
                         peakPerSecond, seconds, settings.uploadConnections))
            fflush(nil)
        }
        if phase == .mixed { mixedSeconds = Double(now - phaseStart) / 1e9 }
        phase = next
        phaseStart = now
        nextArrival = [:]
        intervalLatency.reset()
    }

    // MARK: Scheduling

    private func tick() {
        let now = Self.clock()
        let elapsed = Double(now - phaseStart) / 1e9
        switch phase {
        case .connecting, .done:
            return
        case .peak:
            if elapsed >= settings.peakSeconds { begin(.mixed); return }
            while !idleUploads.isEmpty { uploadQueue.append(uploadJob(due: now)) ; dispatch() }
        case .mixed:
            if elapsed >= settings.minutes * 60 { begin(.draining); return }
            scheduleMixed(now: now, elapsed: elapsed)
        case .draining:
            if uploadQueue.isEmpty, readQueue.isEmpty, busyUploads == 0, busyReads == 0 { end() }
            else if elapsed > Double(settings.timeoutSeconds) + 5 {
                count(problem: "unanswered upload", example: "still pending \(elapsed) s after the load stopped")
                end()
            }
        }
        dispatch()
    }

    /// Arrivals due since the last tick for a Poisson stream of `rate` per second named `name`.
    private func arrivals(_ name: String, rate: Double, now: UInt64) -> Int {
        guard rate > 0 else { return 0 }
        var next = nextArrival[name] ?? now
        var due = 0
        while next <= now {
            due += 1
            let u = Double.random(in: Double.ulpOfOne..<1, using: &random)
            next += UInt64(-log(u) / rate * 1e9)
        }
        nextArrival[name] = next
        return due
    }

    private func scheduleMixed(now: UInt64, elapsed: Double) {
        let cycle = elapsed.truncatingRemainder(dividingBy: 60)
        let peak = max(peakPerSecond, 100)
        if cycle < 40 {
            for _ in 0..<arrivals("upload", rate: peak * settings.steadyFraction, now: now) { uploadQueue.append(uploadJob(due: now)) }
        } else if cycle < 57 {
            for _ in 0..<arrivals("upload", rate: peak * 0.1, now: now) { uploadQueue.append(uploadJob(due: now)) }
        } else {
            // Back to back on every connection: batches of hundreds. (No Poisson arrivals are
            // owed for this stretch: the next steady one starts afresh.)
            nextArrival["upload"] = nil
            for _ in 0..<max(0, idleUploads.count - uploadQueue.count) { uploadQueue.append(uploadJob(due: now)) }
        }
        guard let head = treeHeads.last else {
            if readQueue.isEmpty { readQueue.append(readJob(.logInfo, "/api/v1/log", due: now)) }
            return
        }
        let size = head.size
        for _ in 0..<arrivals("lookup", rate: max(peak * 0.05, 50), now: now) where highestIndex > 0 {
            let index = UInt64.random(in: 0...highestIndex, using: &random)
            let verify = counts["lookups", default: 0] % 10 == 0
            readQueue.append(readJob(.lookup(verify: verify), "/api/v1/log/entries?logIndex=\(index)", due: now))
            counts["lookups", default: 0] += 1
        }
        for _ in 0..<arrivals("checkpoint", rate: 2, now: now) { readQueue.append(readJob(.checkpoint, "/checkpoint", due: now)) }
        for _ in 0..<arrivals("logInfo", rate: 1, now: now) { readQueue.append(readJob(.logInfo, "/api/v1/log", due: now)) }
        for _ in 0..<arrivals("tile", rate: 20, now: now) where size > 0 {
            readQueue.append(readJob(.tile, tilePath(size: size), due: now))
        }
        for _ in 0..<arrivals("search", rate: 5, now: now) where acks.count > 0 {
            let ack = acks[Int.random(in: 0..<acks.count, using: &random)]
            let digest = SoakRequests.digest(nonce: requests.nonce, n: ack.n).hex
            readQueue.append(Job(kind: .search, request: SoakHTTPRequest(method: .POST, path: "/api/v1/index/retrieve",
                                                                         body: Array(#"{"hash":"sha256:\#(digest)"}"#.utf8)),
                                 expected: 200, due: now))
        }
        for _ in 0..<arrivals("duplicate", rate: 2, now: now) where !recentBodies.isEmpty {
            let body = recentBodies[Int.random(in: 0..<recentBodies.count, using: &random)]
            uploadQueue.append(Job(kind: .duplicate, request: SoakHTTPRequest(method: .POST, path: "/api/v1/log/entries", body: body),
                                   expected: 409, due: now))
        }
        for _ in 0..<arrivals("bad", rate: 2, now: now) {
            let number = counts["bad requests", default: 0]
            counts["bad requests", default: 0] += 1
            let job: Job
            if number % 6 == 5 {
                let n = Int.random(in: 0..<1_000_000, using: &random)
                job = Job(kind: .bad("bad signature"), request: SoakHTTPRequest(method: .POST, path: "/api/v1/log/entries",
                                                                              body: requests.badlySigned(n)), expected: 400, due: now)
            } else {
                let bad = SoakRequests.badUploads[number % 6 % SoakRequests.badUploads.count]
                job = Job(kind: .bad(bad.name), request: SoakHTTPRequest(method: .POST, path: "/api/v1/log/entries", body: bad.body),
                          expected: bad.status, due: now)
            }
            readQueue.append(job)
        }
    }

    /// A random full tile of level 0 or 1, a full entry bundle, or the right-edge partial tile.
    private func tilePath(size: UInt64) -> String {
        let width = UInt64(TilePath.fullWidth)
        let path: TilePath
        switch Int.random(in: 0..<4, using: &random) {
        case 0 where size >= width:
            path = try! TilePath(level: 0, index: UInt64.random(in: 0..<(size / width), using: &random))
        case 1 where size >= width * width:
            path = try! TilePath(level: 1, index: UInt64.random(in: 0..<(size / (width * width)), using: &random))
        case 2 where size >= width:
            path = try! TilePath(entryBundle: UInt64.random(in: 0..<(size / width), using: &random))
        default:
            let full = size / width
            path = size % width == 0 ? try! TilePath(level: 0, index: full - 1) : try! TilePath(level: 0, index: full, width: Int(size % width))
        }
        return "/" + path.description
    }

    private func uploadJob(due: UInt64) -> Job {
        if signedNext == signed.count {
            signed = requests.nextChunk()
            signedNext = 0
        }
        let (n, body) = signed[signedNext]
        signedNext += 1
        return Job(kind: .upload(n: n), request: SoakHTTPRequest(method: .POST, path: "/api/v1/log/entries", body: body),
                   expected: 201, due: due)
    }

    private func readJob(_ kind: Kind, _ path: String, due: UInt64) -> Job {
        Job(kind: kind, request: SoakHTTPRequest(method: .GET, path: path), expected: 200, due: due)
    }

    private func dispatch() {
        while !uploadQueue.isEmpty, let connection = idleUploads.popLast() { send(uploadQueue.removeFirst(), on: connection) }
        while !readQueue.isEmpty, let connection = idleReads.popLast() { send(readQueue.removeFirst(), on: connection) }
    }

    private func send(_ job: Job, on connection: SoakConnection) {
        var job = job
        job.floor = largestSize
        connection.send(job.request, timeoutSeconds: settings.timeoutSeconds) { [self] outcome in
            guard phase != .done else { return }
            if connection.isOpen {
                if connection.isReader { idleReads.append(connection) } else { idleUploads.append(connection) }
            }
            completed(job, outcome)
            dispatch()
        }
    }

    // MARK: Answers

    private func completed(_ job: Job, _ outcome: SoakHTTPOutcome) {
        let status: Int
        var body: ByteBuffer
        switch outcome {
        case .unanswered(let reason):
            let what: String
            switch job.kind {
            case .upload, .duplicate: what = "unanswered upload"
            default: what = "unanswered read"
            }
            count(problem: what, example: "\(job.request.method) \(job.request.path): \(reason)")
            checkProcess()
            return
        case .answered(let answered, let answeredBody):
            status = answered
            body = answeredBody
        }
        if status >= 500 {
            count(problem: "5xx", example: "\(job.request.method) \(job.request.path) answered \(status): \(body.readString(length: min(body.readableBytes, 300)) ?? "")")
            return
        }
        guard status == job.expected else {
            count(problem: "unexpected status", example: "\(job.request.method) \(job.request.path) answered \(status), expected \(job.expected): \(body.readString(length: min(body.readableBytes, 300)) ?? "")")
            return
        }
        switch job.kind {
        case .upload(let n):
            guard let index = Self.logIndex(in: body) else {
                count(problem: "bad answer", example: "a 201 without logIndex")
                return
            }
            acks.append((n, index))
            highestIndex = max(highestIndex, index)
            let ms = Double(Self.clock() - job.due) / 1e6
            if phase == .peak {
                counts["peak uploads", default: 0] += 1
            } else {
                mixedUploads += 1
            }
            uploadLatency.record(ms: ms)
            intervalLatency.record(ms: ms)
            if acks.count % 1000 == 0 {
                if recentBodies.count == 64 { recentBodies.removeFirst() }
                recentBodies.append(job.request.body!)
            }
        case .duplicate: counts["duplicates", default: 0] += 1
        case .bad: counts["bad requests refused", default: 0] += 1
        case .lookup(let verify):
            counts["lookups answered", default: 0] += 1
            if verify, let problem = SoakChecks.inclusionProblem(lookupAnswer: body) {
                count(problem: "bad inclusion proof", example: problem)
            }
        case .search: counts["searches", default: 0] += 1
        case .checkpoint:
            counts["checkpoints", default: 0] += 1
            guard let size = SoakChecks.checkpointSize(body) else {
                count(problem: "bad checkpoint", example: String(buffer: body).prefix(300).description)
                return
            }
            sizeAnswered(size, floor: job.floor)
        case .logInfo:
            counts["tree heads", default: 0] += 1
            guard let head = SoakChecks.treeHead(body) else {
                count(problem: "bad tree head", example: String(buffer: body).prefix(300).description)
                return
            }
            sizeAnswered(head.size, floor: job.floor)
            // Answers of concurrent requests may come back in any order: a stale one is no
            // fault (the floor check above catches a real step back), and is not chained.
            if let last = treeHeads.last, head.size <= last.size {
                if head.size == last.size, head.root != last.root {
                    count(problem: "two roots for one size", example: "size \(head.size)")
                }
                return
            }
            if let last = treeHeads.last, last.size > 0 {
                readQueue.append(readJob(.proof(old: last, new: head),
                                         "/api/v1/log/proof?firstSize=\(last.size)&lastSize=\(head.size)", due: Self.clock()))
            }
            treeHeads.append(head)
        case .proof(let old, let new):
            counts["consistency proofs", default: 0] += 1
            if let problem = SoakChecks.consistencyProblem(body, old: old, new: new) {
                count(problem: "inconsistent tree heads", example: problem)
            }
        case .tile:
            counts["tile reads", default: 0] += 1
            let width = job.request.path.split(separator: "/").last.flatMap { Int($0) }
            let isPartial = job.request.path.contains(".p/")
            let hashes = job.request.path.hasPrefix("/tile/entries") ? nil : (isPartial ? width : TilePath.fullWidth)
            if let hashes, body.readableBytes != 32 * hashes {
                count(problem: "bad tile", example: "\(job.request.path): \(body.readableBytes) bytes")
            }
        case .metrics:
            if let value = SoakChecks.metric("vellum_batch_entries_count", in: body) { batches = value }
        }
    }

    /// The `logIndex` of a Rekor v1 LogEntry answer, found without parsing the rest.
    static func logIndex(in body: ByteBuffer) -> UInt64? {
        let key = Array(#""logIndex":"#.utf8)
        return body.withUnsafeReadableBytes { bytes -> UInt64? in
            guard bytes.count > key.count else { return nil }
            var start = 0
            while start + key.count <= bytes.count {
                if bytes[start] == key[0], (0..<key.count).allSatisfy({ bytes[start + $0] == key[$0] }) {
                    var value: UInt64 = 0
                    var position = start + key.count
                    var digits = 0
                    while position < bytes.count, bytes[position] >= 48, bytes[position] <= 57 {
                        value = value * 10 + UInt64(bytes[position] - 48)
                        position += 1
                        digits += 1
                    }
                    return digits > 0 ? value : nil
                }
                start += 1
            }
            return nil
        }
    }

    private func sizeAnswered(_ size: UInt64, floor: UInt64) {
        if size < floor { count(problem: "tree size went back", example: "\(size) answered after \(floor)") }
        largestSize = max(largestSize, size)
    }

    private func count(problem: String, example: String) {
        problems[problem, default: 0] += 1
        if examples.count < 20 { examples.append("\(problem): \(example)") }
    }

    // MARK: Samples

    private func checkProcess() {
        guard !crashed else { return }
        let status = ProcessStatus(pid: settings.pid)
        if status == nil || status?.state == "Z" {
            crashed = true
            count(problem: "server exited", example: "pid \(settings.pid) is gone")
            print("the server (pid \(settings.pid)) has exited: stopping the load")
            phase = .draining
            end()
        }
    }

    private func sample() {
        checkProcess()
        guard !crashed, phase != .connecting, let status = ProcessStatus(pid: settings.pid) else { return }
        readQueue.append(readJob(.metrics, "/metrics", due: Self.clock()))
        let seconds = Double(Self.clock() - started) / 1e9
        let entry = SoakSample(seconds: seconds, rssMiB: status.rssMiB, rssAnonMiB: status.rssAnonMiB,
                               openFiles: status.openFiles, threads: status.threads, treeSize: treeHeads.last?.size ?? 0,
                               batches: batches, uploads: acks.count, errors: errors)
        samples.append(entry)
        let name = "\(phase)".padding(toLength: 9, withPad: " ", startingAt: 0)
        print(String(format: "%6.0f s  ", seconds) + name + String(format: "uploads %9d  p99 %7.1f ms  tree %9llu  batches %8d  rss %6.1f MiB  anon %6.1f MiB  fds %4d  threads %3d  errors %d",
                     entry.uploads, intervalLatency.percentile(99), entry.treeSize, entry.batches,
                     entry.rssMiB, entry.rssAnonMiB, entry.openFiles, entry.threads, entry.errors))
        intervalLatency.reset()
        fflush(nil)  // each line as it is taken, also when the output is a file
    }

    private func end() {
        guard phase != .done else { return }
        if phase == .draining, mixedSeconds == 0 { mixedSeconds = Double(Self.clock() - phaseStart) / 1e9 }
        sample()
        phase = .done
        for connection in connections.values { connection.onClose = nil; connection.close() }
        requests.stop()
        finished.succeed(self)
    }
}

/// A FIFO of jobs that does not shift the array on every removal.
struct JobQueue {
    private var jobs: [SoakDriver.Job] = []
    private var head = 0
    var isEmpty: Bool { head == jobs.count }
    var count: Int { jobs.count - head }
    mutating func append(_ job: SoakDriver.Job) { jobs.append(job) }
    mutating func removeFirst() -> SoakDriver.Job {
        let job = jobs[head]
        head += 1
        if head > 4096, head * 2 > jobs.count {
            jobs.removeFirst(head)
            head = 0
        }
        return job
    }
}
