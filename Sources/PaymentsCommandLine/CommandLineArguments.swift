/// Command-line arguments split into options, flags and positional values.
///
/// Accepts `--name value`, `--name=value` and boolean `--name`. Each option may
/// also come from an environment variable, which the command line overrides.
/// Parsing never exits the process: problems are thrown as
/// `CommandLineError` so that the caller can print them in the user's language.
public struct CommandLineArguments: Sendable {
    /// Options that take a value, by name without the leading dashes.
    public private(set) var values: [String: String] = [:]
    /// Boolean flags that were present.
    public private(set) var flags: Set<String> = []
    /// Arguments that are not options, in order.
    public private(set) var positional: [String] = []

    /// Splits `arguments` using the declared option and flag names.
    ///
    /// - Parameters:
    ///   - arguments: the arguments after the program name (and after any subcommand).
    ///   - options: names of options that take a value.
    ///   - flags: names of boolean flags.
    /// - Throws: `CommandLineError.unknownOption` for a name in neither set,
    ///   `.missingValue` when an option ends the line.
    public init(_ arguments: [String], options: Set<String>, flags: Set<String>) throws(CommandLineError) {
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1

            guard argument.hasPrefix("--"), argument.count > 2 else {
                positional.append(argument)
                continue
            }
            let body = argument.dropFirst(2)
            if let equals = body.firstIndex(of: "=") {
                let name = String(body[..<equals])
                guard options.contains(name) else {
                    throw .unknownOption(name)
                }
                values[name] = String(body[body.index(after: equals)...])
                continue
            }

            let name = String(body)
            if flags.contains(name) {
                self.flags.insert(name)
            } else if options.contains(name) {
                guard index < arguments.count else {
                    throw .missingValue(name)
                }
                values[name] = arguments[index]
                index += 1
            } else {
                throw .unknownOption(name)
            }
        }
    }

    /// Returns the option's value from the command line, else from `environment[variable]`.
    public func value(_ name: String, environment: [String: String] = [:], variable: String? = nil) -> String? {
        if let value = values[name] {
            return value
        }
        if let variable, let value = environment[variable], !value.isEmpty {
            return value
        }
        return nil
    }

    /// Returns whether a boolean flag was given.
    public func isSet(_ flag: String) -> Bool {
        flags.contains(flag)
    }
}

/// A problem with the command line, named precisely enough to fix it.
public enum CommandLineError: Error, Sendable, Equatable {
    /// `--name` is not an option of this command.
    case unknownOption(String)
    /// `--name` needs a value and none followed it.
    case missingValue(String)
    /// `--name` got a value it cannot use; `expected` says what it takes.
    case invalidValue(name: String, value: String, expected: String)
    /// A required option is absent.
    case missingOption(String)
}

extension CommandLineError: CustomStringConvertible {
    /// The problem in English, naming the option and the fix.
    public var description: String {
        switch self {
        case .unknownOption(let name):
            "unknown option --\(name): run with --help to list the options"
        case .missingValue(let name):
            "option --\(name) needs a value: write --\(name) VALUE"
        case .invalidValue(let name, let value, let expected):
            "invalid value '\(value)' for --\(name): expected \(expected)"
        case .missingOption(let name):
            "missing option --\(name): it is required here"
        }
    }
}
