import Foundation
import LMSServer
import Logging
import Vapor

var arguments = CommandLine.arguments
let settings = ServerSettings.fromEnvironment(arguments: &arguments)
let environment = try Environment.detect(arguments: arguments)
LoggingSystem.bootstrap { label in
    var handler = JSONLogHandler(label: label)
    handler.logLevel = settings.logLevel
    return handler
}

let app = try await Application.make(environment)
do {
    try await configure(app, settings: settings)
    try await app.execute()
} catch {
    app.logger.report(error: error)
    try? await app.asyncShutdown()
    exit(1)
}
try await app.asyncShutdown()
