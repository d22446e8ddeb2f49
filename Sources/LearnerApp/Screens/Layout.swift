import Foundation
import LMSClient
import LMSKit
import TerminalUI

/// The app's geometry, in one place: screens draw in `content`, keys page by `pageRows`.
public enum Layout {
    public static let minimumWidth = 40
    public static let minimumHeight = 10

    /// Whether the terminal is big enough to draw screens at all.
    static func fits(_ state: AppState) -> Bool { state.width >= minimumWidth && state.height >= minimumHeight }

    /// Below the header and above the status line, one column in from each side.
    static func content(in area: Rect) -> Rect {
        let (_, rest) = area.splitTop(1)
        let (_, body) = rest.splitBottom(1)
        return body.inset(horizontal: 1, vertical: 0)
    }

    static func content(_ state: AppState) -> Rect { content(in: Rect(x: 0, y: 0, width: state.width, height: state.height)) }

    /// How many rows PgUp and PgDn move: the content less a title and a blank line.
    static func pageRows(_ state: AppState) -> Int { max(1, content(state).height - 2) }
}

extension AppState {
    func glyph(_ unicode: String, _ ascii: String) -> String { self.unicode ? unicode : ascii }

    func lessonGlyph(_ type: LessonType) -> String {
        switch type {
        case .video: glyph("▶", ">")
        case .text: glyph("≡", "=")
        case .quiz: glyph("?", "?")
        case .other: "·"
        }
    }

    func priceLabel(_ course: Course) -> Span {
        guard let library else { return Span("") }
        return priceLabel(course, ownership: library.ownership(of: course))
    }

    func priceLabel(_ course: Course, ownership: AccessGrant?) -> Span {
        guard library != nil else { return Span("") }
        switch ownership {
        case .purchased?, .tenantLicence?: return Span(glyph("✓ owned", "owned"), style: theme.style("owned"))
        default: break
        }
        if course.isFree { return Span("free", style: theme.style("free")) }
        return Span(course.currency.display(course.price), style: theme.style("price"))
    }
}
