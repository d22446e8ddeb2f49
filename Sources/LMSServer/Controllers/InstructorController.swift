import Foundation
import LMSKit
import Vapor

/// A course's full structure for its instructor (or a platform admin): drafts, bodies, answer keys, and
/// the drift of the denormalised counters.
struct InstructorController {
    func boot(_ routes: any RoutesBuilder) {
        routes.get("instructor", "courses", ":slug", "outline", use: outline)
    }

    func outline(_ req: Request) async throws -> Response {
        let viewer = try req.principal
        let courses = CourseStore(db: req.sql)
        guard let course = try await courses.course(slug: req.parameters.get("slug") ?? "", viewer: viewer),
              viewer.isPlatformAdmin || course.instructorID == viewer.userID
        else { throw APIFailure.notFound("Course") }
        let outline = try await courses.outline(of: course)
        let questions = try await courses.questions(courseID: course.id)
        let bodies = try await courses.bodies(courseID: course.id)
        let chapters = outline.chapters.map { chapter in
            InstructorChapter(
                chapter: chapter.chapter,
                lessons: chapter.lessons.map { InstructorLesson(lesson: $0, body: bodies[$0.id], questions: questions[$0.id] ?? []) })
        }
        return try taggedJSON(InstructorOutline(course: course, chapters: chapters, structure: CourseStructure.summarize(outline)), for: req)
    }
}
