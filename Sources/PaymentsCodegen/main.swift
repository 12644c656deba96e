import Foundation

do {
    let command = try CodegenCommand(arguments: Array(CommandLine.arguments.dropFirst()))
    try command.run()
} catch {
    FileHandle.standardError.write(Data("payments-codegen: \(error)\n".utf8))
    exit(1)
}
