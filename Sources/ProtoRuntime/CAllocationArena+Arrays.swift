extension CAllocationArena {
    /// Copies values into an arena-owned C array; returns nil for an empty array.
    ///
    /// protobuf-c reads `count` elements from the pointer, so the array needs no terminator.
    @inlinable
    public func copyArray<T>(_ values: [T]) -> UnsafeMutablePointer<T>? {
        guard !values.isEmpty else {
            return nil
        }
        let pointer = allocate(T.self, count: values.count)
        pointer.initialize(from: values, count: values.count)
        return pointer
    }

    /// Copies strings into an arena-owned array of NUL-terminated C strings; returns nil for an empty array.
    public func duplicateArray(_ strings: [String]) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
        guard !strings.isEmpty else {
            return nil
        }
        let pointers = allocate(UnsafeMutablePointer<CChar>?.self, count: strings.count)
        for (index, string) in strings.enumerated() {
            (pointers + index).initialize(to: duplicate(string))
        }
        return pointers
    }

    /// Stores each value in arena memory and returns an arena-owned array of pointers to them.
    ///
    /// This is the layout protobuf-c uses for repeated message fields. Returns nil for an empty array.
    @inlinable
    public func storeArray<T>(_ values: [T]) -> UnsafeMutablePointer<UnsafeMutablePointer<T>?>? {
        guard !values.isEmpty else {
            return nil
        }
        let pointers = allocate(UnsafeMutablePointer<T>?.self, count: values.count)
        for (index, value) in values.enumerated() {
            (pointers + index).initialize(to: store(value))
        }
        return pointers
    }
}
