import Foundation
import PaymentsCommandLine

let options: ServerOptions
do {
    let arguments = try CommandLineArguments(
        Array(CommandLine.arguments.dropFirst()), options: ServerOptions.optionNames, flags: ["help", "version"])
    if arguments.isSet("help") {
        print(ServerOptions.helpText, terminator: "")
        exit(0)
    }
    options = try ServerOptions(arguments: arguments, environment: ProcessInfo.processInfo.environment)
} catch {
    FileHandle.standardError.write(Data("payments-server: \(error)\n".utf8))
    exit(2)
}
