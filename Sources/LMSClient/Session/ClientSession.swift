import Foundation
import LMSKit

/// Everything a signed-in client needs, wired once: credentials, the API, the account's files.
public struct ClientSession: Sendable {
    public let paths: Paths
    public let credentials: Credentials
    public let api: APIClient
    public let store: AccountStore
    public let deviceID: UUID

    /// Opens the saved session; throws `ClientError.notSignedIn` when there is none.
    public static func open(paths: Paths = Paths(), http: HTTPSession = HTTPSession()) throws -> ClientSession {
        let credentialStore = CredentialStore(paths: paths)
        guard let credentials = try credentialStore.load() else { throw ClientError.notSignedIn }
        return ClientSession(
            paths: paths, credentials: credentials,
            api: APIClient(server: credentials.server, credentials: credentials, http: http, credentialStore: credentialStore),
            store: AccountStore(paths: paths, server: credentials.server, userID: credentials.userID),
            deviceID: try deviceID(paths: paths))
    }

    public func syncEngine() -> SyncEngine {
        SyncEngine(api: api, store: store, clientID: deviceID)
    }

    /// This installation's id, sent with pushes so the server can tell devices apart.
    static func deviceID(paths: Paths) throws -> UUID {
        let url = paths.configDirectory.appendingPathComponent("device-id")
        if let data = try AtomicFile.read(url), let id = UUID(uuidString: String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) {
            return id
        }
        let id = UUID()
        try AtomicFile.write(Data((id.uuidString + "\n").utf8), to: url)
        return id
    }

    /// The cached state with pending work on top, read from disk now.
    public func snapshot(notices: inout AccountStore.Notices) throws -> (CacheIndex, LearnerSnapshot) {
        let index = try store.index(notices: &notices)
        let records = try store.learner(notices: &notices)
        let outbox = try store.outbox(notices: &notices)
        // The structure map is the largest file; only offline work on a lesson never synced
        // before needs it.
        var structure: StructureMap?
        var structureNotices = AccountStore.Notices()
        let store = self.store
        let snapshot = LearnerSnapshot.make(
            records: records, outbox: outbox, userID: credentials.userID,
            courseOf: { lessonID in
                if structure == nil { structure = (try? store.structure(matching: index, notices: &structureNotices)) ?? StructureMap() }
                return structure?.course(ofLesson: lessonID)
            })
        notices.messages += structureNotices.messages
        notices.readOnly = notices.readOnly || structureNotices.readOnly
        return (index, snapshot)
    }
}
