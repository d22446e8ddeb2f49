import LMSKit
import SQLKit
import Vapor

func routes(_ app: Application) throws {
    // Liveness: the process answers. It reads no database, so a database outage does not get
    // every replica restarted; readiness says whether this replica should get traffic.
    app.get("healthz") { req async throws -> Response in
        try json(HealthResponse(status: "ok", database: req.application.lmsSettings.database.kind, version: LMSVersion.current))
    }
    app.get("readyz") { req async throws -> Response in
        let pending: [String]
        do {
            pending = try await DatabaseStatusStore(db: req.sql).pendingMigrations(known: LMSMigrations.names(logger: req.logger))
        } catch {
            req.logger.warning("readiness: the database does not answer", metadata: ["error": .string(String(describing: error))])
            throw APIFailure(status: .serviceUnavailable, code: .unavailable, message: "The database does not answer")
        }
        guard pending.isEmpty else {
            throw APIFailure(
                status: .serviceUnavailable, code: .unavailable,
                message: "The database schema is not current: \(Words.count(pending.count, "migration")) pending; run 'lms-server migrate --yes'")
        }
        return try json(HealthResponse(status: "ready", database: req.application.lmsSettings.database.kind, version: LMSVersion.current))
    }
    app.get("metrics") { req async throws -> Response in
        if let counts = try? await DatabaseStatusStore(db: req.sql).connections(of: req.application.databaseApplicationName) {
            req.application.serverMetrics.poolConnections(open: counts.open, inUse: counts.inUse)
        }
        return Response(
            status: .ok, headers: ["Content-Type": "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(string: req.application.serverMetrics.render()))
    }

    let api = app.grouped("api", "v1")
    AuthController().boot(api)

    let authenticated = api.grouped(BearerAuthMiddleware())
    MeController().boot(authenticated)
    CatalogController().boot(authenticated)
    LearningController().boot(authenticated)
    PurchaseController().boot(authenticated: authenticated, open: api)
    SyncController().boot(authenticated)
    InstructorController().boot(authenticated)
    AdminController().boot(authenticated)

    // Never mounted in production, nor beside a real Stripe account.
    if app.lmsSettings.usesTestCheckout {
        TestCheckoutController().boot(app)
    }
}
