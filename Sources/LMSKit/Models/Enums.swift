import Foundation

// Every string column with a known set of values. Unknown values decode into `.other` so an
// older client keeps working against a newer server.

public enum UserRole: OpenEnum {
    case learner, instructor, admin
    case other(String)
    public static let knownCases: [UserRole] = [.learner, .instructor, .admin]
    public var rawValue: String {
        switch self {
        case .learner: "learner"
        case .instructor: "instructor"
        case .admin: "admin"
        case .other(let value): value
        }
    }
}

public enum UserStatus: OpenEnum {
    case pending, active, suspended
    case other(String)
    public static let knownCases: [UserStatus] = [.pending, .active, .suspended]
    public var rawValue: String {
        switch self {
        case .pending: "pending"
        case .active: "active"
        case .suspended: "suspended"
        case .other(let value): value
        }
    }
}

public enum TenantStatus: OpenEnum {
    case trial, active, suspended, cancelled
    case other(String)
    public static let knownCases: [TenantStatus] = [.trial, .active, .suspended, .cancelled]
    public var rawValue: String {
        switch self {
        case .trial: "trial"
        case .active: "active"
        case .suspended: "suspended"
        case .cancelled: "cancelled"
        case .other(let value): value
        }
    }
}

/// How a tenant's data is kept apart: the seed stores these upper-case.
public enum IsolationStrategy: OpenEnum {
    case shared, schema, database
    case other(String)
    public static let knownCases: [IsolationStrategy] = [.shared, .schema, .database]
    public var rawValue: String {
        switch self {
        case .shared: "SHARED"
        case .schema: "SCHEMA"
        case .database: "DATABASE"
        case .other(let value): value
        }
    }
}

/// Stripe's subscription states, as Stripe spells them.
public enum SubscriptionStatus: OpenEnum {
    case trialing, active, pastDue, canceled, unpaid, incomplete, incompleteExpired, paused
    case other(String)
    public static let knownCases: [SubscriptionStatus] = [
        .trialing, .active, .pastDue, .canceled, .unpaid, .incomplete, .incompleteExpired, .paused,
    ]
    public var rawValue: String {
        switch self {
        case .trialing: "trialing"
        case .active: "active"
        case .pastDue: "past_due"
        case .canceled: "canceled"
        case .unpaid: "unpaid"
        case .incomplete: "incomplete"
        case .incompleteExpired: "incomplete_expired"
        case .paused: "paused"
        case .other(let value): value
        }
    }
}

public enum CourseStatus: OpenEnum {
    case draft, published, archived
    case other(String)
    public static let knownCases: [CourseStatus] = [.draft, .published, .archived]
    public var rawValue: String {
        switch self {
        case .draft: "draft"
        case .published: "published"
        case .archived: "archived"
        case .other(let value): value
        }
    }
}

public enum LessonType: OpenEnum {
    case video, text, quiz
    case other(String)
    public static let knownCases: [LessonType] = [.video, .text, .quiz]
    public var rawValue: String {
        switch self {
        case .video: "video"
        case .text: "text"
        case .quiz: "quiz"
        case .other(let value): value
        }
    }
}

public enum QuestionType: OpenEnum {
    case singleChoice, multipleChoice, trueFalse, shortAnswer
    case other(String)
    public static let knownCases: [QuestionType] = [.singleChoice, .multipleChoice, .trueFalse, .shortAnswer]
    public var rawValue: String {
        switch self {
        case .singleChoice: "single_choice"
        case .multipleChoice: "multiple_choice"
        case .trueFalse: "true_false"
        case .shortAnswer: "short_answer"
        case .other(let value): value
        }
    }
}

public enum PurchaseStatus: OpenEnum {
    case pending, completed, failed, refunded
    case other(String)
    public static let knownCases: [PurchaseStatus] = [.pending, .completed, .failed, .refunded]
    public var rawValue: String {
        switch self {
        case .pending: "pending"
        case .completed: "completed"
        case .failed: "failed"
        case .refunded: "refunded"
        case .other(let value): value
        }
    }
}

/// ISO 4217 codes; the seed defaults to EUR.
public enum Currency: OpenEnum {
    case eur, usd, gbp, chf
    case other(String)
    public static let knownCases: [Currency] = [.eur, .usd, .gbp, .chf]
    public var rawValue: String {
        switch self {
        case .eur: "EUR"
        case .usd: "USD"
        case .gbp: "GBP"
        case .chf: "CHF"
        case .other(let value): value
        }
    }

    public var symbol: String {
        switch self {
        case .eur: "€"
        case .usd: "$"
        case .gbp: "£"
        case .chf: "CHF "
        case .other(let code): code + " "
        }
    }

    public func display(_ amount: Foundation.Decimal) -> String { symbol + MoneyText.format(amount) }
}
