import Glibc

/// The pthread mutex and the two condition variables a writer thread and the threads flushing it wait on (a pthread
/// mutex, not `Mutex`, because a condition variable waits on it), made together and destroyed together when their
/// owner goes. `WriterQueue` and `LogLineBuffer` each keep one.
final class WriterThreadSignals {
    let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    /// Signalled when there is something for the writer to take (or it should stop).
    let wakeWriter = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    /// Broadcast by the writer when a batch is written, for the threads waiting on a flush.
    let wakeFlushers = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(wakeWriter, nil)
        pthread_cond_init(wakeFlushers, nil)
    }

    deinit {
        pthread_cond_destroy(wakeFlushers)
        pthread_cond_destroy(wakeWriter)
        pthread_mutex_destroy(mutex)
        wakeFlushers.deallocate()
        wakeWriter.deallocate()
        mutex.deallocate()
    }
}
