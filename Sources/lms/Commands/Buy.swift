import ArgumentParser
import Foundation
import LMSClient
import LMSKit

/// `lms buy SLUG`: starts a checkout and shows (or opens) the payment page; the purchase arrives
/// with the next sync once it is paid.
struct Buy: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Buy a course: shows the payment page's address (--open opens it); the course unlocks at the next sync after paying.")

    @Argument(help: "The course's slug, id, or a unique part of its title.")
    var course: String

    @Flag(help: "Open the payment page in the browser ($BROWSER, else xdg-open).")
    var open = false

    @Flag(help: "Print the purchase and the payment page as JSON.")
    var json = false

    func run() async throws {
        try await runReporting(json: json) {
            let (session, library, _) = try await openLibrary(patience: .interactive)
            guard let found = library.findCourse(course) else {
                throw CommandFailure(message: "No single cached course matches '\(course)' (see 'lms courses --all')", code: Exit.refused)
            }
            let learner = library.learner()
            if let reason = Self.nothingToBuy(found, learner: learner, tenant: library.index.me?.tenant) {
                throw CommandFailure(message: reason, code: Exit.refused)
            }
            let checkout = try await session.api.checkout(courseID: found.id)
            if json { return try Output.printJSON(checkout) }
            guard let url = checkout.checkoutURL else {
                // A free course is owned at once: fetch it now.
                _ = try await session.sync()
                return print("'\(found.title)' is yours.")
            }
            print("To buy '\(found.title)' (\(found.currency.display(found.price))), pay on this page:\n  \(url)")
            if open, let failure = ExternalProgram.run(ExternalProgram.browser, url) {
                printError("\(failure): open the address above yourself, or set BROWSER")
            }
            print("Once paid, 'lms sync' (or s in the app) unlocks the course.")
        }
    }

    /// Why there is nothing to buy, or nil.
    static func nothingToBuy(_ course: Course, learner: LearnerContext, tenant: Tenant?) -> String? {
        if LessonAccess.mayBuy(course: course, learner: learner) { return nil }
        if learner.isPlatformAdmin || course.instructorID == learner.userID {
            return "'\(course.title)' is open to you as its \(learner.isPlatformAdmin ? "administrator" : "instructor"): there is nothing to buy"
        }
        switch LessonAccess.ownershipGrant(course: course, learner: learner) {
        case .tenantLicence?: return "'\(course.title)' is licensed by \(tenant?.name ?? "your organisation") for you: there is nothing to buy"
        case .purchased?: return "You own '\(course.title)' already"
        case .freeCourse?: return "'\(course.title)' is free: open it with 'lms course \(course.slug)'"
        default: return "'\(course.title)' is not on sale"
        }
    }
}
