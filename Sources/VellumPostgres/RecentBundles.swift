import VellumSync

/// Entry bundles read lately, each as the version read (bundles only grow, so a version with
/// `entries` entries answers for every position below that), up to `capacityBytes` in all;
/// beyond that it starts over, so memory stays bounded. Lookups cluster on recent entries and
/// on neighbours, so most of them are answered without a round trip.
final class RecentBundles: Sendable {
    private struct Kept {
        var bytes: [UInt8]
        var entries: Int
    }

    let capacityBytes: Int
    private let kept = Locked<(bundles: [UInt64: Kept], bytes: Int)>(([:], 0))

    init(capacityBytes: Int = 64 << 20) { self.capacityBytes = capacityBytes }

    /// The kept version of bundle `index` if it holds entry `position`.
    func bundle(_ index: UInt64, holding position: Int) -> [UInt8]? {
        kept.withLock { kept in
            guard let bundle = kept.bundles[index], position < bundle.entries else { return nil }
            return bundle.bytes
        }
    }

    /// Keeps `bytes` (a version of bundle `index` with `entries` entries) unless a larger one is kept.
    func keep(_ bytes: [UInt8], entries: Int, as index: UInt64) {
        kept.withLock { kept in
            if let old = kept.bundles[index] {
                guard old.entries < entries else { return }
                kept.bytes -= old.bytes.count
            }
            if kept.bytes + bytes.count > capacityBytes {
                kept = ([:], 0)
            }
            kept.bundles[index] = Kept(bytes: bytes, entries: entries)
            kept.bytes += bytes.count
        }
    }
}
