import LMSKit
import SQLKit
import Vapor

func routes(_ app: Application) throws {
    app.get("healthz") { req async throws -> HealthResponse in
        let flavor = SQLFlavor(req.db as! any SQLDatabase)
        _ = try await (req.db as! any SQLDatabase).raw("SELECT 1 AS ok").first()
        return HealthResponse(status: "ok", database: flavor == .postgres ? "postgresql" : "sqlite", version: ServerVersion.current)
    }
}

enum ServerVersion {
    static let current = "0.1.0"
}

extension HealthResponse: Content {}
