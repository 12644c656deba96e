/// Language of a command's own messages, help and text output, chosen from the locale variables.
///
/// The `payments` CLI and `payments bench` both read it, so they agree on one environment.
public enum Language: Sendable, Equatable {
    /// The default, for any locale that is not Spanish and when no locale variable is set.
    case english
    /// For a locale whose name starts with `es`, such as `es_ES.UTF-8` or `es_MX`.
    case spanish

    /// Picks Spanish when the effective locale is Spanish (`es`, `es_ES.UTF-8`, …), English otherwise.
    ///
    /// POSIX precedence: `LC_ALL` overrides `LC_MESSAGES`, which overrides `LANG`; empty values are skipped.
    public init(environment: [String: String]) {
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"].lazy.compactMap { environment[$0] }.first { !$0.isEmpty } ?? ""
        self = locale.lowercased().hasPrefix("es") ? .spanish : .english
    }
}
