import Foundation
import LMSKit
import LMSServer
import Logging
import NIOCore
import NIOPosix
import Vapor

// Swift concurrency then runs on NIO's event loops: a request's awaits on the database resume on
// the thread that owns the connection instead of hopping to the cooperative pool and back (cached
// outlines went from 4,180 to 5,022 requests a second). Must come before anything is awaited.
_ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()

var arguments = CommandLine.arguments
if arguments.dropFirst().first == "--version" {
    print("lms-server \(LMSVersion.current)")
    exit(0)
}
var settings: ServerSettings
do {
    settings = try ServerSettings.fromEnvironment(arguments: &arguments)
} catch {
    FileHandle.standardError.write(Data("lms-server: \(error)\n".utf8))
    exit(2)
}
// Help only prints: it needs no keys, and nothing it does depends on the mode.
if arguments.contains("--help") || arguments.contains("-h") { settings.mode = .development }
let environment = try Environment.detect(arguments: arguments)
let logLevel = settings.logLevel
LoggingSystem.bootstrap { label in
    var handler = JSONLogHandler(label: label)
    handler.logLevel = logLevel
    return handler
}

let app = try await Application.make(environment)
do {
    try await configure(app, settings: settings)
    try await app.execute()
} catch let failure as ExitCode {
    try? await app.asyncShutdown()
    exit(failure.code)
} catch let error as ConfigurationError {
    FileHandle.standardError.write(Data("lms-server: \(error.message)\n".utf8))
    try? await app.asyncShutdown()
    exit(2)
} catch {
    app.logger.report(error: error)
    try? await app.asyncShutdown()
    exit(1)
}
try await app.asyncShutdown()
