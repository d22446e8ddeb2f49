import Foundation
import LMSKit
import SQLKit

// Column lists and row readers for every table the API reads. Each SELECT names its columns
// (money and JSON cast to text) so both databases return the same shapes. A `@Record` model's
// columns and row reader come from its one declaration.

enum Columns {
    static let user = User.columns(alias: "u")
    static let tenant = Tenant.columns(alias: "t")
    static let group = Group.columns(alias: "g")
    static let course = Course.columns(alias: "c")
    static let chapter = Chapter.columns(alias: "ch")
    static let lesson = Lesson.columns(alias: "l")
    static let question = QuizQuestion.columns(alias: "q")
    static let purchase = Purchase.columns(alias: "p")
    static let progress = UserProgress.columns(alias: "up")
    static let quizResult = QuizResult.columns(alias: "qr")
    static let badge = Badge.columns(alias: "b")
    static let userBadge = UserBadge.columns(alias: "ub")

    /// A column list without its table alias, for `RETURNING`: SQLite rejects qualified names
    /// there ("no such column: u.id"), PostgreSQL accepts both.
    static func returning(_ columns: String, alias: String) -> String {
        columns.replacingOccurrences(of: alias + ".", with: "")
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
