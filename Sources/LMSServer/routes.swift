import LMSKit
import SQLKit
import Vapor

func routes(_ app: Application) throws {
    // Liveness: the process answers. It reads no database, so a database outage does not get
    // every replica restarted; readiness says whether this replica should get traffic.
    app.get("healthz") { req async throws -> Response in
        try json(HealthResponse(status: "ok", database: req.application.lmsSettings.database.kind, version: ServerVersion.current))
    }
    app.get("readyz") { req async throws -> Response in
        let pending: [String]
        do {
            pending = try await Readiness.pendingMigrations(req)
        } catch {
            req.logger.warning("readiness: the database does not answer", metadata: ["error": .string(String(describing: error))])
            throw APIFailure(status: .serviceUnavailable, code: .unavailable, message: "The database does not answer")
        }
        guard pending.isEmpty else {
            throw APIFailure(
                status: .serviceUnavailable, code: .unavailable,
                message: "The database schema is not current: \(pending.count) migration(s) pending; run 'lms-server migrate --yes'")
        }
        return try json(HealthResponse(status: "ready", database: req.application.lmsSettings.database.kind, version: ServerVersion.current))
    }
    app.get("metrics") { req async throws -> Response in
        if let counts = try? await Readiness.poolConnections(req) {
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

/// What `/readyz` and `/metrics` read from the database.
enum Readiness {
    /// Names of migrations this build has that the database has not applied.
    static func pendingMigrations(_ req: Request) async throws -> [String] {
        let applied = try await req.sql.raw("SELECT name FROM _fluent_migrations").all()
            .map { try $0.decode(column: "name", as: String.self) }
        let known = [EnablePGVector(logger: req.logger).name] + LMSMigrations.all.map(\.name)
        return known.filter { !Set(applied).contains($0) }
    }

    /// This process's connections to PostgreSQL, and how many are running a query right now
    /// (this one included). nil on SQLite.
    static func poolConnections(_ req: Request) async throws -> (open: Int, inUse: Int)? {
        guard SQLFlavor(req.sql) == .postgres else { return nil }
        let row = try await req.sql.raw("""
            SELECT COUNT(*) AS open, COUNT(*) FILTER (WHERE state = 'active') AS in_use
            FROM pg_stat_activity WHERE application_name = \(bind: req.application.databaseApplicationName)
            """).first()
        guard let row else { return nil }
        return (try row.decode(column: "open", as: Int.self), try row.decode(column: "in_use", as: Int.self))
    }
}

enum ServerVersion {
    static let current = "0.1.0"
}

/// The local payment provider's checkout page: a development stand-in for Stripe Checkout,
/// mounted only when the server runs as development without a Stripe key. Confirming it needs
/// the buyer's own session and completes the purchase exactly as Stripe's webhook would.
struct TestCheckoutController {
    func boot(_ app: Application) {
        app.get("checkout", "test", ":session") { req -> Response in
            let session = req.parameters.get("session") ?? ""
            let html = """
                <!doctype html><title>Test checkout</title>
                <h1>Test checkout</h1><p>Session \(session.htmlEscaped). No money moves on this development server.</p>
                <p>Confirm it as the buyer: <code>POST /checkout/test/\(session.htmlEscaped)/complete</code> with the buyer's
                <code>Authorization: Bearer</code> token.</p>
                """
            return Response(status: .ok, headers: ["Content-Type": "text/html; charset=utf-8"], body: .init(string: html))
        }
        app.grouped(BearerAuthMiddleware()).post("checkout", "test", ":session", "complete") { req async throws -> Response in
            let session = req.parameters.get("session") ?? ""
            let buyer = try req.principal
            try await AccountStatus(db: req.sql).requireActive(buyer)
            let completed = try await req.writeTransaction { db -> Purchase? in
                let sql = db.sql
                let now = Date()
                guard let purchase = try await PurchaseStore(db: sql)
                    .complete(sessionID: session, buyer: buyer.userID, paymentIntent: "pi_test_" + session, at: now) else { return nil }
                try await ChangeLog(db: sql).record(.purchase, id: purchase.id, userID: purchase.userID, at: now)
                try await PurchaseStore(db: sql).logNewlyOwnedContent(purchase, at: now)
                return purchase
            }
            guard let completed else { throw APIFailure.notFound("Pending checkout") }
            return try json(completed)
        }
    }
}

extension String {
    var htmlEscaped: String {
        replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
