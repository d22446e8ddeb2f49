import Foundation
import LMSKit
import SQLKit

/// Writes courses with their chapters, lessons and questions, keeping the denormalised counters
/// right and logging everything for the sync feed.
package struct CatalogBuilder {
    let db: any SQLDatabase
    let now: Date

    package struct LessonSpec: Sendable {
        package var title: String
        package var type: LessonType
        package var duration: Int
        package var isFree = false
        package var requiresPrevious = true
        package var body: String?
        package var videoURL: String?
        package var questions: [QuestionSpec] = []
    }

    package struct QuestionSpec: Sendable {
        package var question: String
        package var type: QuestionType
        package var options: [QuizOption]
        package var points = 1
    }

    package struct ChapterSpec: Sendable {
        package var title: String
        package var description: String?
        package var lessons: [LessonSpec]
    }

    package struct CourseSpec: Sendable {
        package var title: String
        package var slug: String
        package var description: String?
        package var status: CourseStatus
        package var price: Decimal
        package var instructorID: UUID
        package var quizPassPercent: Int?
        package var chapters: [ChapterSpec]
    }

    struct Built {
        var courseIDs: [UUID] = []
        var lessonIDsByCourse: [UUID: [UUID]] = [:]
        /// Lessons anyone may study: free previews and every lesson of a free course.
        var freeLessonIDs: [UUID] = []
        var quizLessonIDs: [UUID] = []
    }

    func build(_ specs: [CourseSpec]) async throws -> Built {
        var built = Built()
        var courses: [[SeedValue]] = []
        var chapters: [[SeedValue]] = []
        var lessons: [[SeedValue]] = []
        var questions: [[SeedValue]] = []
        var chapterIDs: [UUID] = []
        var lessonIDs: [UUID] = []
        for (courseIndex, spec) in specs.enumerated() {
            let courseID = UUID()
            built.courseIDs.append(courseID)
            let allLessons = spec.chapters.flatMap(\.lessons)
            // Creation times step by a second so "newest" has a stable order.
            let created = now.addingTimeInterval(Double(courseIndex - specs.count))
            courses.append([
                .uuid(courseID), .text(spec.title), .text(spec.slug), .optional(spec.description), .text(spec.status.rawValue),
                .money(spec.price), .uuid(spec.instructorID), .int(allLessons.reduce(0) { $0 + $1.duration }),
                .int(spec.chapters.count), .int(allLessons.count), spec.quizPassPercent.map(SeedValue.int) ?? .null,
                .date(created), .date(created),
            ])
            for (chapterIndex, chapter) in spec.chapters.enumerated() {
                let chapterID = UUID()
                chapterIDs.append(chapterID)
                chapters.append([
                    .uuid(chapterID), .uuid(courseID), .text(chapter.title), .optional(chapter.description), .int(chapterIndex + 1),
                    .date(now), .date(now),
                ])
                for (lessonIndex, lesson) in chapter.lessons.enumerated() {
                    let lessonID = UUID()
                    lessonIDs.append(lessonID)
                    built.lessonIDsByCourse[courseID, default: []].append(lessonID)
                    if lesson.isFree || spec.price <= 0 { built.freeLessonIDs.append(lessonID) }
                    if lesson.type == .quiz { built.quizLessonIDs.append(lessonID) }
                    lessons.append([
                        .uuid(lessonID), .uuid(chapterID), .text(lesson.title), .text(lesson.type.rawValue), .optional(lesson.videoURL),
                        .int(lesson.duration), .int(lessonIndex + 1), .bool(lesson.isFree), .bool(lesson.requiresPrevious),
                        .optional(lesson.body), .date(now), .date(now),
                    ])
                    for (questionIndex, question) in lesson.questions.enumerated() {
                        questions.append([
                            .uuid(UUID()), .uuid(lessonID), .text(question.question), .text(question.type.rawValue),
                            .json(try question.options.jsonText()), .int(question.points), .int(questionIndex + 1), .date(now), .date(now),
                        ])
                    }
                }
            }
        }
        let writer = BulkWriter(db: db)
        try await writer.insert(
            into: "courses",
            columns: ["id", "title", "slug", "description", "status", "price", "instructor_id", "duration", "chapters_count",
                      "lessons_count", "quiz_pass_percent", "created_at", "updated_at"],
            rows: courses)
        try await writer.insert(
            into: "chapters", columns: ["id", "course_id", "title", "description", "position", "created_at", "updated_at"], rows: chapters)
        try await writer.insert(
            into: "lessons",
            columns: ["id", "chapter_id", "title", "type", "video_url", "duration", "position", "is_free", "requires_previous", "body",
                      "created_at", "updated_at"],
            rows: lessons)
        try await writer.insert(
            into: "quiz_questions",
            columns: ["id", "lesson_id", "question", "type", "options", "points", "position", "created_at", "updated_at"], rows: questions)
        try await writer.logChanges(.course, ids: built.courseIDs, userID: nil, at: now)
        try await writer.logChanges(.chapter, ids: chapterIDs, userID: nil, at: now)
        try await writer.logChanges(.lesson, ids: lessonIDs, userID: nil, at: now)
        // Free content is for everyone; owners get the rest when they buy.
        try await writer.logChanges(.lessonContent, ids: built.freeLessonIDs, userID: nil, at: now)
        return built
    }
}
