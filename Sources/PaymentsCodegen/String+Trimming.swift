extension StringProtocol {
    /// Returns the text without leading and trailing characters that `characters` contains.
    func trimming(_ characters: String) -> String {
        var slice = Substring(self)
        while let first = slice.first, characters.contains(first) {
            slice.removeFirst()
        }
        while let last = slice.last, characters.contains(last) {
            slice.removeLast()
        }
        return String(slice)
    }
}
