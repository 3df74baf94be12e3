import ServiceLifecycle

extension Sequencer: Service {
    /// Runs until graceful shutdown, then commits or fails whatever is pending.
    public nonisolated func run() async throws {
        try? await gracefulShutdown()
        await shutdown()
    }
}
