import Foundation
import LMSClient
import LMSKit

/// The names of badges a sync brought, as the learner's cached records have them.
func badgeNames(_ report: SyncReport, _ session: ClientSession) throws -> [String] {
    var notices = AccountStore.Notices()
    let badges = try session.store.learner(notices: &notices).badges
    return report.awardedBadges.map { award in badges.first { $0.id == award.badgeID }?.name ?? "a badge" }
}

/// The saved session and its cached courses, with any problems met while reading the files.
/// Work saved offline by an earlier run is sent first when the server can be reached, so it
/// leaves without waiting for an explicit `lms sync`; when it cannot, it stays, quietly.
/// `patience`: how long the server may keep the command waiting (see `Patience`).
func openLibrary(sendingPending: Bool = true, patience: Patience = .onTheSide) async throws -> (ClientSession, CourseLibrary, AccountStore.Notices) {
    let session = try ClientSession.open(http: HTTPSession(patience: patience))
    if sendingPending, let report = try await session.sendPendingWork(), report.pushed > 0 {
        printError("sent \(Words.count(report.pushed, "change")) saved offline earlier")
    }
    var notices = AccountStore.Notices()
    let library = try CourseLibrary.load(session, notices: &notices)
    return (session, library, notices)
}
