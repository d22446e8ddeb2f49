import Foundation
import LMSClient
import LMSKit
import LMSTestSupport
import TerminalUI
import Testing

@testable import LearnerApp

@Suite("An instructor's Home and preview")
struct InstructorHomeTests {
    @Test("Home lists the courses they teach, drafts first; Enter previews one")
    func teachingOnHome() {
        var state = DemoFixture.state(library: DemoFixture.library(role: .instructor))
        let items = HomeModel.items(state)
        let teaching = items.compactMap { if case .teaching(let course) = $0 { course } else { nil } }
        let taught = DemoFixture.courses.map(\.course).filter { $0.instructorID == DemoFixture.instructorID && $0.deletedAt == nil }
        #expect(Set(teaching.map(\.id)) == Set(taught.map(\.id)))
        #expect(teaching.first?.status == .draft)
        #expect(state.screenText.contains("Teaching \(Words.count(taught.count, "course")) (Enter previews)"))
        let index = items.firstIndex { if case .teaching = $0 { true } else { false } }!
        state.lists[.home] = ListState(selected: index)
        let effects = press(&state, .enter)
        #expect(state.route == .preview(teaching[0].slug))
        #expect(effects == [.loadPreview(slug: teaching[0].slug)])
    }

    @Test("A learner's Home has no teaching rows")
    func learnersDoNotTeach() {
        let state = DemoFixture.state()
        #expect(!HomeModel.items(state).contains { if case .teaching = $0 { true } else { false } })
    }

    @Test("The preview shows lesson text and every quiz question with its answer key")
    func previewShowsAnswerKeys() {
        var state = DemoFixture.state(width: 120, height: 40, library: DemoFixture.library(role: .instructor))
        _ = App.openPreview(DemoFixture.swift.course, &state)
        _ = App.update(&state, .previewLoaded(DemoFixture.instructorOutline(DemoFixture.swift), error: nil))
        let text = PreviewScreen.lines(state, state.preview!).map { $0.map(\.text).joined() }.joined(separator: "\n")
        for question in DemoFixture.swift.questions.values.flatMap({ $0 }) {
            #expect(text.contains(String(question.question.prefix(30))), "\(question.question)")
            for option in question.options where option.isCorrect && question.type != .shortAnswer {
                #expect(text.contains("✓ " + option.text), "\(option.text)")
            }
        }
        #expect(text.contains("accepted: \"nil\""))
        #expect(text.contains(String(DemoFixture.swift.bodies.values.first!.split(separator: "\n").first!.prefix(20))))
    }
}
