#if canImport(Glibc)
    import Glibc
#endif

/// Processor count without Foundation.
enum ProcessInfoCount {
    static var activeProcessors: Int {
        max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }
}
