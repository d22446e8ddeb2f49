import Foundation
import LMSKit
import SQLKit

/// A large catalog for benchmarks: `courses` × 10 chapters × 10 lessons, every chapter ending in
/// a three-question quiz, every third lesson a text lesson.
struct SyntheticSeeder {
    static let learnerEmail = "bench@synthetic.lms"
    let db: any SQLDatabase
    let passwordHash: String
    let now: Date

    func seed(courses count: Int) async throws {
        let writer = BulkWriter(db: db)
        let instructor: UUID
        if let existing = try await UserStore(db: db).id(ofEmail: "instructor@synthetic.lms") {
            instructor = existing
        } else {
            instructor = UUID()
            let tenant = UUID()
            try await writer.insert(
                into: "tenants", columns: ["id", "name", "slug", "status", "seats_purchased", "seats_used", "created_at", "updated_at"],
                rows: [[.uuid(tenant), .text("Synthetic"), .text("synthetic-\(tenant.uuidString.prefix(8).lowercased())"),
                        .text("active"), .int(10), .int(2), .date(now), .date(now)]])
            try await writer.insert(
                into: "users",
                columns: ["id", "email", "password_hash", "first_name", "last_name", "role", "status", "tenant_id", "created_at", "updated_at"],
                rows: [
                    [.uuid(instructor), .text("instructor@synthetic.lms"), .text(passwordHash), .text("Synthetic"), .text("Instructor"),
                     .text("instructor"), .text("active"), .uuid(tenant), .date(now), .date(now)],
                    [.uuid(UUID()), .text(Self.learnerEmail), .text(passwordHash), .text("Bench"), .text("Learner"),
                     .text("learner"), .text("active"), .uuid(tenant), .date(now), .date(now)],
                ])
        }
        let batch = UUID().uuidString.prefix(8).lowercased()
        let chapters = (0..<10).map(Self.chapter)
        let specs = (0..<count).map { index -> CatalogBuilder.CourseSpec in
            let price: Decimal = index % 3 == 0 ? 0 : Decimal(19 + index % 40)
            return CatalogBuilder.CourseSpec(
                title: "Synthetic Course \(String(format: "%05d", index))", slug: "synthetic-\(batch)-\(index)",
                description: "Generated for benchmarks.", status: .published, price: price,
                instructorID: instructor, quizPassPercent: nil, chapters: chapters)
        }
        _ = try await CatalogBuilder(db: db, now: now).build(specs)
    }

    static func chapter(_ chapter: Int) -> CatalogBuilder.ChapterSpec {
        let lessons = (0..<10).map { lesson -> CatalogBuilder.LessonSpec in
            if lesson == 9 {
                return CatalogBuilder.LessonSpec(title: "Chapter \(chapter + 1) quiz", type: .quiz, duration: 300, questions: questions)
            }
            let isText = lesson % 3 == 2
            return CatalogBuilder.LessonSpec(
                title: "Lesson \(chapter + 1).\(lesson + 1)", type: isText ? .text : .video,
                duration: 120 + (lesson * 37) % 600, isFree: chapter == 0 && lesson == 0,
                body: isText ? "Reading for lesson \(chapter + 1).\(lesson + 1)." : nil,
                videoURL: isText ? nil : "https://videos.synthetic.lms/\(chapter)/\(lesson).mp4")
        }
        return CatalogBuilder.ChapterSpec(title: "Chapter \(chapter + 1)", description: nil, lessons: lessons)
    }

    static let questions: [CatalogBuilder.QuestionSpec] = [
        .init(question: "Pick the second option.", type: .singleChoice,
              options: [.init(id: "a", text: "First"), .init(id: "b", text: "Second", isCorrect: true), .init(id: "c", text: "Third")]),
        .init(question: "Pick both even numbers.", type: .multipleChoice,
              options: [.init(id: "a", text: "2", isCorrect: true), .init(id: "b", text: "3"), .init(id: "c", text: "4", isCorrect: true)]),
        .init(question: "The sky is green.", type: .trueFalse,
              options: [.init(id: "true", text: "True"), .init(id: "false", text: "False", isCorrect: true)]),
    ]
}
