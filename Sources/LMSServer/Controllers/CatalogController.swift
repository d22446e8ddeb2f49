import Foundation
import LMSKit
import Vapor

/// The catalog, course outlines and lesson content.
struct CatalogController {
    func boot(_ routes: any RoutesBuilder) {
        routes.get("courses", use: catalog)
        routes.get("courses", ":slug", use: outline)
        routes.get("lessons", ":lesson_id", use: lesson)
    }

    func catalog(_ req: Request) async throws -> Response {
        let viewer = try req.principal
        let limit = try req.query.get(Int?.self, at: "limit") ?? 20
        guard (1...100).contains(limit) else { throw APIFailure.validation("limit must be between 1 and 100") }
        let sortText = try req.query.get(String?.self, at: "sort") ?? "title"
        guard let sort = CourseStore.CatalogSort(rawValue: sortText) else {
            throw APIFailure.validation("sort must be one of title, newest, price")
        }
        let search = try req.query.get(String?.self, at: "q")?.trimmingCharacters(in: .whitespaces)
        if let search, search.count > 200 { throw APIFailure.validation("q must have at most 200 characters") }
        var after: UUID?
        if let cursor = try req.query.get(String?.self, at: "cursor"), !cursor.isEmpty {
            guard let id = CatalogCursor.decode(cursor, sort: sort) else {
                throw APIFailure.badRequest("The cursor is not valid for this listing; start again without it")
            }
            after = id
        }
        let page = try await CourseStore(db: req.sql).catalogPage(viewer: viewer, search: search, sort: sort, after: after, limit: limit)
        let next = page.hasMore ? page.entries.last.map { CatalogCursor.encode(id: $0.course.id, sort: sort) } : nil
        return taggedJSON(body: JSONWriter.encode(CatalogPage(items: page.entries, nextCursor: next)), for: req)
    }

    func outline(_ req: Request) async throws -> Response {
        let viewer = try req.principal
        let slug = req.parameters.get("slug") ?? ""
        guard let body = try await CourseStore(db: req.sql)
            .outlineResponseBody(slug: slug, viewer: viewer, cache: req.application.outlineCache, metrics: req.application.serverMetrics) else {
            throw APIFailure.notFound("Course")
        }
        return taggedJSON(body: body, for: req)
    }

    func lesson(_ req: Request) async throws -> Response {
        let viewer = try req.principal
        let lessonID = try req.uuidParameter("lesson_id", what: "Lesson")
        let access = try await AccessService(db: req.sql).lesson(lessonID, for: viewer)
        try AccessService.requireGranted(access.decision)
        let courses = CourseStore(db: req.sql)
        let content = LessonContent(
            lesson: access.lesson, courseID: access.course.id,
            body: try await courses.lessonBody(lessonID),
            questions: access.lesson.type == .quiz ? try await courses.questions(lessonID: lessonID).map(\.learnerView) : nil)
        return try taggedJSON(content, for: req)
    }
}

/// Catalog cursors name the last course of the page and the sort they belong to.
enum CatalogCursor {
    static func encode(id: UUID, sort: CourseStore.CatalogSort) -> String {
        Data("\(sort.rawValue):\(id.uuidString)".utf8).base64EncodedString()
    }

    static func decode(_ cursor: String, sort: CourseStore.CatalogSort) -> UUID? {
        guard let data = Data(base64Encoded: cursor), let text = String(data: data, encoding: .utf8) else { return nil }
        let parts = text.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, parts[0] == sort.rawValue else { return nil }
        return UUID(uuidString: String(parts[1]))
    }
}
