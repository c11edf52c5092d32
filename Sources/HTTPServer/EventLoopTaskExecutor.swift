import Transport

/// A `TaskExecutor` that runs jobs on an event loop's thread. With it as a task's executor preference, a handler's
/// nonisolated code runs on the loop: no wake-up of Swift's global pool per request (a futex round trip and two
/// context switches). Opt-in, see `HTTPServerConfiguration.runsHandlersOnEventLoop`: a handler that blocks or
/// burns CPU then stalls every connection of that loop.
final class EventLoopTaskExecutor: TaskExecutor {
    let loop: EventLoop

    init(loop: EventLoop) {
        self.loop = loop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        if !loop.enqueue(job, on: executor) {
            // The loop has exited (server shut down): run the job anyway so the task can finish instead of leaking.
            job.runSynchronously(on: executor)
        }
    }
}
