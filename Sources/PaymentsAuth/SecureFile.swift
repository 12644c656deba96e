import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Owner-only files written atomically: read, replace and lock.
enum SecureFile {
    /// Permission bits of every file this module writes: read and write for the owner only.
    static let mode: mode_t = 0o600

    /// A file's bytes and its permission bits, read through one descriptor.
    struct Contents {
        var bytes: [UInt8]
        var permissions: mode_t
    }

    /// Returns the file's bytes and permission bits, or nil when it does not exist.
    static func read(path: String) throws(AuthError) -> Contents? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            if code == ENOENT {
                return nil
            }
            throw AuthError.fileSystem("open", path: path, errno: code)
        }
        defer { close(descriptor) }

        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw AuthError.fileSystem("fstat", path: path, errno: errno)
        }
        let bytes = try readAll(descriptor, path: path)
        return Contents(bytes: bytes, permissions: status.st_mode & 0o7777)
    }

    private static func readAll(_ descriptor: Int32, path: String) throws(AuthError) -> [UInt8] {
        var contents: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR {
                continue
            }
            guard count >= 0 else {
                throw AuthError.fileSystem("read", path: path, errno: errno)
            }
            if count == 0 {
                return contents
            }
            contents.append(contentsOf: chunk[0..<count])
        }
    }

    /// Replaces the file at `path` with `bytes` so that readers see the old or the new contents,
    /// never a mix.
    ///
    /// Writes a temporary file in the same directory with mode 0600, flushes it with `fsync`,
    /// renames it over `path` and flushes the directory. On failure the temporary file is removed
    /// and `path` is unchanged.
    static func replace(path: String, with bytes: [UInt8]) throws(AuthError) {
        var template = Array((path + ".tmp.XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            throw AuthError.fileSystem("create temporary file", path: path, errno: errno)
        }
        let temporaryPath = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)

        do throws(AuthError) {
            defer { close(descriptor) }
            try check(fchmod(descriptor, mode), "chmod", path: temporaryPath)
            try writeAll(bytes, to: descriptor, path: temporaryPath)
            try check(fsync(descriptor), "fsync", path: temporaryPath)
            try check(rename(temporaryPath, path), "rename", path: path)
        } catch {
            unlink(temporaryPath)
            throw error
        }
        syncDirectory(of: path)
    }

    /// Runs `body` while holding an exclusive `flock` on `path + ".lock"`, which serialises
    /// read-modify-write cycles of several processes. The lock file stays in place, empty.
    static func withExclusiveLock<T>(
        path: String, _ body: () throws(AuthError) -> T
    ) throws(AuthError) -> T {
        let lockPath = path + ".lock"
        let descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, mode)
        guard descriptor >= 0 else {
            throw AuthError.fileSystem("open lock file", path: lockPath, errno: errno)
        }
        defer { close(descriptor) }

        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else {
                throw AuthError.fileSystem("flock", path: lockPath, errno: errno)
            }
        }
        return try body()
    }

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32, path: String) throws(AuthError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if written < 0 && errno == EINTR {
                continue
            }
            guard written > 0 else {
                throw AuthError.fileSystem("write", path: path, errno: written < 0 ? errno : EIO)
            }
            offset += written
        }
    }

    private static func check(_ status: Int32, _ operation: String, path: String) throws(AuthError) {
        guard status == 0 else {
            throw AuthError.fileSystem(operation, path: path, errno: errno)
        }
    }

    /// Flushes the directory entry of a rename. A failure here is ignored: the rename itself
    /// succeeded, and only durability across a power loss is weaker.
    private static func syncDirectory(of path: String) {
        let directory = (path as NSString).deletingLastPathComponent
        let descriptor = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else {
            return
        }
        _ = fsync(descriptor)
        close(descriptor)
    }
}
