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
        pointerArray(strings) { duplicate($0) }
    }

    /// Stores each value in arena memory and returns an arena-owned array of pointers to them.
    ///
    /// This is the layout protobuf-c uses for repeated message fields. Returns nil for an empty array.
    @inlinable
    public func storeArray<T>(_ values: [T]) -> UnsafeMutablePointer<UnsafeMutablePointer<T>?>? {
        pointerArray(values) { store($0) }
    }

    /// Returns an arena-owned array of the pointers that `pointer` makes for each element, or nil for none.
    @inlinable
    func pointerArray<Element, Pointee>(
        _ elements: [Element], _ pointer: (Element) -> UnsafeMutablePointer<Pointee>
    ) -> UnsafeMutablePointer<UnsafeMutablePointer<Pointee>?>? {
        guard !elements.isEmpty else {
            return nil
        }
        let pointers = allocate(UnsafeMutablePointer<Pointee>?.self, count: elements.count)
        for (index, element) in elements.enumerated() {
            (pointers + index).initialize(to: pointer(element))
        }
        return pointers
    }
}
