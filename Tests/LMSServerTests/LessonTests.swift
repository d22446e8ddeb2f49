import Foundation
import LMSTestSupport
import LMSKit
import Testing
import Vapor

@testable import LMSServer

@Suite("Outlines and lessons")
struct LessonTests {
    @Test("An outline lists chapters and lessons in position order", arguments: TestDatabase.all)
    func outline(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            let token = try await server.token(DemoAccounts.learner)
            let response = try await server.get("/api/v1/courses/swift-fundamentals", token: token)
            #expect(response.status == .ok)
            #expect(response.headers.first(name: .eTag) != nil)
            let body = try response.decode(CourseOutlineResponse.self)
            #expect(body.outline.course.slug == "swift-fundamentals")
            #expect(body.owned == true)  // free courses are owned by everyone
            #expect(body.outline.chapters.map(\.chapter.title) == ["Getting started", "Values and types"])
            #expect(body.outline.chapters.map(\.chapter.position) == [1, 2])
            #expect(body.outline.chapters[0].lessons.map(\.title) == ["Welcome to Swift", "Installing the toolchain", "Hello, world"])
            #expect(body.outline.chapters[1].lessons.map(\.title) == ["Constants and variables", "Optionals explained", "Check your understanding"])
            for chapter in body.outline.chapters {
                #expect(chapter.lessons.map(\.position) == Array(1...chapter.lessons.count))
            }
            // No bodies and no questions in an outline.
            #expect(!allKeys(in: response.json).contains("body") && !allKeys(in: response.json).contains("questions"))

            #expect(try await server.get("/api/v1/courses/terminal-mastery", token: token).decode(CourseOutlineResponse.self).owned)
            #expect(try await server.get("/api/v1/courses/databases-in-depth", token: token).decode(CourseOutlineResponse.self).owned == false)
        }
    }

    @Test("A draft's outline is 404 except for its instructor", arguments: TestDatabase.all)
    func draftOutline(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            expectError(
                try await server.get("/api/v1/courses/advanced-concurrency", token: try await server.token(DemoAccounts.learner)),
                .notFound, "not_found")
            expectError(try await server.get("/api/v1/courses/no-such-course", token: try await server.token(DemoAccounts.learner)), .notFound, "not_found")
            let instructor = try await server.get("/api/v1/courses/advanced-concurrency", token: try await server.token(DemoAccounts.instructor))
            #expect(instructor.status == .ok)
            #expect(try instructor.decode(CourseOutlineResponse.self).outline.course.status == .draft)
            // Its lessons do not exist for learners either.
            let lesson = try await server.lessonID("Isolation domains")
            expectError(try await server.get("/api/v1/lessons/\(lesson)", token: try await server.token(DemoAccounts.learner)), .notFound, "not_found")
            #expect(try await server.get("/api/v1/lessons/\(lesson)", token: try await server.token(DemoAccounts.instructor)).status == .ok)
        }
    }

    @Test("Free lessons open, sequencing and purchases lock the others", arguments: TestDatabase.all)
    func lessonAccess(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            let token = try await server.token(DemoAccounts.learner)
            let welcome = try await server.get("/api/v1/lessons/\(try await server.lessonID("Welcome to Swift"))", token: token)
            #expect(welcome.status == .ok)
            let content = try welcome.decode(LessonContent.self)
            #expect(content.lesson.title == "Welcome to Swift")
            #expect(content.courseID == (try await server.courseID("swift-fundamentals")))
            #expect(content.questions == nil)

            // "Hello, world" needs "Installing the toolchain" (started, not completed).
            let hello = try await server.lessonID("Hello, world")
            expectError(
                try await server.get("/api/v1/lessons/\(hello)", token: token), .forbidden, "lesson_locked",
                messageContains: "Complete 'Installing the toolchain' first")
            try await server.complete([try await server.lessonID("Installing the toolchain")], token: token)
            let opened = try await server.get("/api/v1/lessons/\(hello)", token: token)
            #expect(opened.status == .ok)
            #expect(try opened.decode(LessonContent.self).body?.contains("Hello, world") == true)

            // A paid course: the free preview opens, the rest needs the purchase.
            #expect(try await server.get("/api/v1/lessons/\(try await server.lessonID("Why relational?"))", token: token).status == .ok)
            expectError(
                try await server.get("/api/v1/lessons/\(try await server.lessonID("Keys and constraints"))", token: token), .forbidden,
                "purchase_required", messageContains: "49.00")

            // The instructor opens everything, in any order.
            let instructor = try await server.token(DemoAccounts.instructor)
            #expect(try await server.get("/api/v1/lessons/\(try await server.lessonID("Keys and constraints"))", token: instructor).status == .ok)

            expectError(try await server.get("/api/v1/lessons/\(UUID())", token: token), .notFound, "not_found")
            expectError(try await server.get("/api/v1/lessons/not-a-uuid", token: token), .notFound, "not_found")
        }
    }

    @Test("Quiz content carries no answer key, short answers no options", arguments: TestDatabase.all)
    func quizContent(_ database: TestDatabase) async throws {
        try await withTestServer(database) { server in
            let token = try await server.token(DemoAccounts.learner)
            let quiz = try await server.unlockSwiftQuiz(token: token)
            let response = try await server.get("/api/v1/lessons/\(quiz)", token: token)
            #expect(response.status == .ok)
            #expect(!response.text.contains("correct"), "answer key in \(response.text)")
            #expect(!allKeys(in: response.json).contains("correct"))
            let content = try response.decode(LessonContent.self)
            let questions = try #require(content.questions)
            #expect(questions.map(\.type) == [.singleChoice, .multipleChoice, .trueFalse, .shortAnswer])
            #expect(questions.map(\.position) == [1, 2, 3, 4])
            #expect(questions[0].options.map(\.text) == ["var", "let", "const"])
            #expect(questions[3].options.isEmpty)
            #expect(!response.text.contains("\"nil\""), "the accepted short answer leaked")

            // The Japanese quiz is a single short-answer question.
            try await server.complete([try await server.lessonID("あいうえお")], token: token)
            let hiragana = try await server.get("/api/v1/lessons/\(try await server.lessonID("Hiragana quiz 🈁"))", token: token)
            #expect(hiragana.status == .ok)
            #expect(!allKeys(in: hiragana.json).contains("correct"))
            let short = try #require(try hiragana.decode(LessonContent.self).questions?.first)
            #expect(short.type == .shortAnswer && short.options.isEmpty)
        }
    }
}
