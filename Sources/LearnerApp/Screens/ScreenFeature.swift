import Foundation
import TerminalUI

/// What a screen is: its keys, its drawing, its rows and what Enter does, all in its own file.
/// `Route.screen` names the screen of each route; the update and the frame ask it, so adding a
/// screen is one file and one line there.
protocol ScreenFeature {
    /// Its commands, looked up when `handle` did not take the key, before the moves and the keys
    /// that work everywhere.
    static var keys: Keymap.Table? { get }
    /// Tables its `handle` reads (a quiz page's keys, the filter's): help lists them after `keys`.
    static var modeKeys: [Keymap.Table] { get }
    /// The crumb for `route` (one of this screen's) in the header.
    static func title(_ route: Route, _ state: AppState) -> String
    /// Draws the content area, between the header and the status line.
    static func render(_ state: AppState, _ area: Rect, _ buffer: inout Buffer)
    /// Keys the screen takes before any keymap (typed answers, live previews), or nil.
    static func handle(_ key: Key, _ state: inout AppState, now: () -> Date) -> [Effect]?
    /// Rows of its list, which the moves select among.
    static func rowCount(_ state: AppState) -> Int
    /// Enter on its selection.
    static func activate(_ state: inout AppState) -> [Effect]
    /// How far its page scrolls, for a screen of text rather than a list (nil).
    static func scrollLimit(_ state: AppState) -> Int?
}

extension ScreenFeature {
    static var keys: Keymap.Table? { nil }
    static var modeKeys: [Keymap.Table] { [] }
    static func handle(_ key: Key, _ state: inout AppState, now: () -> Date) -> [Effect]? { nil }
    static func rowCount(_ state: AppState) -> Int { 0 }
    static func activate(_ state: inout AppState) -> [Effect] { [] }
    static func scrollLimit(_ state: AppState) -> Int? { nil }
}

extension Route {
    var screen: any ScreenFeature.Type {
        switch self {
        case .home: HomeScreen.self
        case .catalog: CatalogScreen.self
        case .course: CourseScreen.self
        case .lesson: LessonScreen.self
        case .quiz: QuizScreen.self
        case .progress: ProgressScreen.self
        case .badges: BadgesScreen.self
        case .preview: PreviewScreen.self
        case .help: HelpScreen.self
        case .themes: ThemeScreen.self
        }
    }

    /// Every screen, in the order help lists their keys.
    static var screens: [any ScreenFeature.Type] { [
        HomeScreen.self, CatalogScreen.self, CourseScreen.self, LessonScreen.self, QuizScreen.self, ProgressScreen.self,
        BadgesScreen.self, PreviewScreen.self, ThemeScreen.self, HelpScreen.self,
    ] }
}
