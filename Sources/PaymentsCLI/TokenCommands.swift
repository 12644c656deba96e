import Foundation
internal import PaymentsAuth
internal import PaymentsCommandLine

/// `payments token create|list|revoke`: administration of the token file the server reads.
struct TokenCommands {
    let text: Text
    let environment: [String: String]

    func run(_ rawArguments: [String]) throws(CLIFailure) {
        let arguments: CommandLineArguments
        do {
            arguments = try CommandLineArguments(rawArguments, options: ["tokens", "name", "scopes"], flags: ["json"])
        } catch {
            throw .usage(CommandLineMessages.render(error, text: text))
        }
        guard let action = arguments.positional.first else {
            throw .usage(text.missingOption("tokens") + " (token create|list|revoke)")
        }
        guard let path = arguments.value("tokens", environment: environment, variable: "PAYMENTS_TOKENS") else {
            throw .usage(text.missingOption("tokens"))
        }
        let file = TokenFile(path: path)

        do {
            switch action {
            case "create":
                guard let name = arguments.values["name"] else {
                    throw CLIFailure.usage(text.missingOption("name"))
                }
                guard let scopeText = arguments.values["scopes"] else {
                    throw CLIFailure.usage(text.missingOption("scopes"))
                }
                let scopes = try Scope.parseList(scopeText)
                let token = try file.create(name: name, scopes: scopes)
                print(token)
                FileHandle.standardError.write(Data((text.tokenShownOnce + "\n").utf8))
            case "list":
                let tokens = try file.list()
                if arguments.isSet("json") {
                    for token in tokens {
                        print(Formatting.jsonLine([
                            "name": token.name, "scopes": token.scopes.map(\.rawValue).sorted(),
                            "created": token.created.formatted(.iso8601),
                        ]))
                    }
                } else if tokens.isEmpty {
                    print(text.noTokens)
                } else {
                    let rows = tokens.map { [$0.name, $0.scopeList, $0.created.formatted(.iso8601)] }
                    let headers = text.language == .spanish ? ["NOMBRE", "PERMISOS", "CREADO"] : ["NAME", "SCOPES", "CREATED"]
                    print(Formatting.table(headers: headers, rows: rows))
                }
            case "revoke":
                guard let name = arguments.positional.dropFirst().first ?? arguments.values["name"] else {
                    throw CLIFailure.usage(text.missingOption("name"))
                }
                try file.revoke(name: name)
                print(text.tokenRevoked(name))
            default:
                throw CLIFailure.usage(text.unknownCommand("token \(action)"))
            }
        } catch let failure as CLIFailure {
            throw failure
        } catch let error as AuthError {
            switch error.code {
            case .invalidScope, .invalidTokenName, .duplicateTokenName, .tokenNameNotFound:
                throw .usage(text.localFailure(error.message))
            default:
                throw .localFile(text.localFailure(error.message))
            }
        } catch {
            throw .localFile(text.localFailure("\(error)"))
        }
    }
}
