/// Language of the CLI's own messages, chosen from the locale variables.
enum Language: Sendable {
    case english
    case spanish

    /// Picks Spanish when the effective locale is Spanish (`es`, `es_ES.UTF-8`, …), English otherwise.
    ///
    /// POSIX precedence: `LC_ALL` overrides `LC_MESSAGES`, which overrides `LANG`; empty values are skipped.
    init(environment: [String: String]) {
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"].lazy.compactMap { environment[$0] }.first { !$0.isEmpty } ?? ""
        self = locale.lowercased().hasPrefix("es") ? .spanish : .english
    }
}
