import Transport

// Runs a task's jobs on an event loop's thread, as a gateway handler's task runs: shared by both profile drivers.
final class LoopExecutor: TaskExecutor {
    let loop: EventLoop
    init(loop: EventLoop) { self.loop = loop }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        loop.execute { job.runSynchronously(on: executor) }
    }
}
