import Dispatch
import Foundation
import PaymentsDomain

/// A non-blocking pipe that wakes a thread sleeping in `poll` on ``readDescriptor``.
///
/// One byte in the pipe is enough to wake the thread, so ``wake()`` ignores a full pipe, and the thread
/// empties the pipe with ``drain()`` after `poll` reports it readable. The owner calls ``close()`` once the
/// thread no longer polls it.
struct WakeUpPipe: Sendable {
    let readDescriptor: Int32
    private let writeDescriptor: Int32

    /// Creates the pipe; `owner` names the thread in the error.
    ///
    /// - Throws: ``PaymentError`` `INTERNAL` with the errno when the process is out of file descriptors.
    init(owner: String) throws(PaymentError) {
        var descriptors: [Int32] = [-1, -1]
        guard pipe(&descriptors) == 0 else {
            throw PaymentError(.internal, "creating the \(owner)'s wake-up pipe failed with errno \(errno)")
        }
        for descriptor in descriptors {
            let flags = fcntl(descriptor, F_GETFL)
            precondition(
                flags >= 0 && fcntl(descriptor, F_SETFL, flags | O_NONBLOCK) == 0, "fcntl on a new pipe failed")
        }
        readDescriptor = descriptors[0]
        writeDescriptor = descriptors[1]
    }

    /// Makes the next or current `poll` on ``readDescriptor`` return.
    func wake() {
        var byte: UInt8 = 1
        // A full pipe already contains a pending wake-up, so EAGAIN is fine to ignore.
        _ = write(writeDescriptor, &byte, 1)
    }

    /// Reads every pending wake-up, so the next `poll` sleeps again.
    func drain() {
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(readDescriptor, &buffer, buffer.count) > 0 {}
    }

    func close() {
        Glibc.close(readDescriptor)
        Glibc.close(writeDescriptor)
    }
}

extension DispatchSemaphore {
    /// Waits for the semaphore on a new thread, so that the waiting blocks no thread of Swift's task pool.
    func waitOnOwnThread() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread {
                self.wait()
                continuation.resume()
            }.start()
        }
    }
}
