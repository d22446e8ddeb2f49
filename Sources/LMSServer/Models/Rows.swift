import Foundation
import LMSKit
import SQLKit

// Column lists and row readers for every table the API reads. Each SELECT names its columns
// (money and JSON cast to text) so both databases return the same shapes. A `@Record` model's
// columns and row reader come from its one declaration.

enum Columns {
    static let user = "u.id, u.email, u.first_name, u.last_name, u.role, u.status, u.tenant_id, u.avatar_url, u.last_login_at, u.created_at, u.updated_at, u.deleted_at"
    static let tenant = "t.id, t.name, t.slug, t.status, t.isolation_strategy, t.seats_purchased, t.seats_used, t.subscription_status, t.stripe_customer_id, t.stripe_subscription_id, t.logo_url, t.domain, CAST(t.settings AS TEXT) AS settings, t.created_at, t.updated_at, t.deleted_at"
    static let group = "g.id, g.tenant_id, g.name, g.description, g.created_at, g.updated_at, g.deleted_at"
    static let course = Course.columns(alias: "c")
    static let chapter = Chapter.columns(alias: "ch")
    static let lesson = Lesson.columns(alias: "l")
    static let question = "q.id, q.lesson_id, q.question, q.type, CAST(q.options AS TEXT) AS options, q.points, q.position, q.created_at, q.updated_at"
    static let purchase = "p.id, p.user_id, p.course_id, p.tenant_id, CAST(p.amount AS TEXT) AS amount, p.currency, p.status, p.stripe_payment_intent_id, p.stripe_checkout_session_id, p.purchased_at, p.created_at, p.updated_at"
    static let progress = "up.id, up.user_id, up.course_id, up.lesson_id, up.completed, up.progress_seconds, up.completed_at, up.created_at, up.updated_at"
    static let quizResult = "qr.id, qr.user_id, qr.lesson_id, qr.score, qr.max_score, qr.passed, CAST(qr.answers AS TEXT) AS answers, qr.attempt_number, qr.client_attempt_id, qr.completed_at, qr.created_at"
    static let badge = "b.id, b.name, b.description, b.image_url, CAST(b.criteria AS TEXT) AS criteria, b.created_at, b.updated_at"
    static let userBadge = "ub.id, ub.user_id, ub.badge_id, ub.course_id, ub.earned_at"

    /// A column list without its table alias, for `RETURNING`: SQLite rejects qualified names
    /// there ("no such column: u.id"), PostgreSQL accepts both.
    static func returning(_ columns: String, alias: String) -> String {
        columns.replacingOccurrences(of: alias + ".", with: "")
    }
}

extension User {
    init(row: any SQLRow) throws {
        self.init(
            id: try row.value("id"), email: try row.value("email"), firstName: try row.value("first_name"),
            lastName: try row.value("last_name"), role: UserRole(rawValue: try row.value("role")),
            status: UserStatus(rawValue: try row.value("status")), tenantID: try row.optional("tenant_id"),
            avatarURL: try row.optional("avatar_url"), lastLoginAt: try row.optional("last_login_at"),
            createdAt: try row.value("created_at"), updatedAt: try row.value("updated_at"),
            deletedAt: try row.optional("deleted_at"))
    }
}

extension Tenant {
    init(row: any SQLRow) throws {
        let settingsText: String? = try row.optional("settings")
        let settings = try settingsText.map { try LMSJSON.makeDecoder().decode([String: JSONValue].self, from: Data($0.utf8)) }
        self.init(
            id: try row.value("id"), name: try row.value("name"), slug: try row.value("slug"),
            status: TenantStatus(rawValue: try row.value("status")),
            isolationStrategy: IsolationStrategy(rawValue: try row.value("isolation_strategy")),
            seatsPurchased: try row.value("seats_purchased"), seatsUsed: try row.value("seats_used"),
            subscriptionStatus: SubscriptionStatus(rawValue: try row.value("subscription_status")),
            stripeCustomerID: try row.optional("stripe_customer_id"),
            stripeSubscriptionID: try row.optional("stripe_subscription_id"), logoURL: try row.optional("logo_url"),
            domain: try row.optional("domain"), settings: settings ?? [:], createdAt: try row.value("created_at"),
            updatedAt: try row.value("updated_at"), deletedAt: try row.optional("deleted_at"))
    }
}

extension Group {
    init(row: any SQLRow) throws {
        self.init(
            id: try row.value("id"), tenantID: try row.value("tenant_id"), name: try row.value("name"),
            description: try row.optional("description"), createdAt: try row.value("created_at"),
            updatedAt: try row.value("updated_at"), deletedAt: try row.optional("deleted_at"))
    }
}

extension QuizQuestion {
    init(row: any SQLRow) throws {
        let options = try QuizQuestion.decodeOptions(from: Data((try row.value("options", as: String.self)).utf8))
        self.init(
            id: try row.value("id"), lessonID: try row.value("lesson_id"), question: try row.value("question"),
            type: QuestionType(rawValue: try row.value("type")), options: options, points: try row.value("points"),
            position: try row.value("position"), createdAt: try row.value("created_at"),
            updatedAt: try row.value("updated_at"))
    }
}

extension Purchase {
    init(row: any SQLRow) throws {
        self.init(
            id: try row.value("id"), userID: try row.value("user_id"), courseID: try row.value("course_id"),
            tenantID: try row.optional("tenant_id"), amount: try row.money("amount"),
            currency: Currency(rawValue: try row.value("currency")), status: PurchaseStatus(rawValue: try row.value("status")),
            stripePaymentIntentID: try row.optional("stripe_payment_intent_id"),
            stripeCheckoutSessionID: try row.optional("stripe_checkout_session_id"),
            purchasedAt: try row.optional("purchased_at"), createdAt: try row.value("created_at"),
            updatedAt: try row.value("updated_at"))
    }
}

extension UserProgress {
    init(row: any SQLRow) throws {
        self.init(
            id: try row.value("id"), userID: try row.value("user_id"), courseID: try row.value("course_id"),
            lessonID: try row.value("lesson_id"), completed: try row.value("completed"),
            progressSeconds: try row.value("progress_seconds"), completedAt: try row.optional("completed_at"),
            createdAt: try row.value("created_at"), updatedAt: try row.value("updated_at"))
    }
}

extension QuizResult {
    init(row: any SQLRow) throws {
        self.init(
            id: try row.value("id"), userID: try row.value("user_id"), lessonID: try row.value("lesson_id"),
            score: try row.value("score"), maxScore: try row.value("max_score"), passed: try row.value("passed"),
            answers: try row.json("answers", as: [GradedAnswer].self), attemptNumber: try row.value("attempt_number"),
            clientAttemptID: try row.optional("client_attempt_id"), completedAt: try row.value("completed_at"),
            createdAt: try row.value("created_at"))
    }
}

extension Badge {
    init(row: any SQLRow) throws {
        self.init(
            id: try row.value("id"), name: try row.value("name"), description: try row.optional("description"),
            imageURL: try row.value("image_url"), criteria: try row.json("criteria", as: BadgeCriteria.self),
            createdAt: try row.value("created_at"), updatedAt: try row.value("updated_at"))
    }
}

extension UserBadge {
    init(row: any SQLRow) throws {
        self.init(
            id: try row.value("id"), userID: try row.value("user_id"), badgeID: try row.value("badge_id"),
            courseID: try row.optional("course_id"), earnedAt: try row.value("earned_at"))
    }
}

extension Record {
    /// A row of a SELECT of `Self.columns(alias:)`, read by column name.
    init(row: any SQLRow) throws {
        var source = SQLRowSource(row: row)
        try self.init(fields: &source)
    }
}

/// A SQLKit row as a `FieldSource`: cells by column name, on any database.
struct SQLRowSource: FieldSource {
    let row: any SQLRow

    private func cell<Value: Decodable>(_ key: String, _ type: Value.Type) throws -> Value? {
        try row.decodeNil(column: key) ? nil : row.decode(column: key, as: Value.self)
    }

    func uuid(_ key: String) throws -> UUID? { try cell(key, UUID.self) }
    func string(_ key: String) throws -> String? { try cell(key, String.self) }
    func int(_ key: String) throws -> Int? { try cell(key, Int.self) }
    func bool(_ key: String) throws -> Bool? { try cell(key, Bool.self) }
    func date(_ key: String) throws -> Date? { try cell(key, Date.self) }
}
